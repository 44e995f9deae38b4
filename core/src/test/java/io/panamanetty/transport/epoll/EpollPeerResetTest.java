package io.panamanetty.transport.epoll;

import io.panamanetty.testsuite.PeerResetScenario;
import io.panamanetty.testsuite.TestTransport;

/** {@link PeerResetScenario} on the epoll transport. */
class EpollPeerResetTest extends PeerResetScenario {
    @Override
    protected TestTransport transport() {
        return EpollTestTransport.INSTANCE;
    }
}
