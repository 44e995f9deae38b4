package io.panamanetty.transport.uring;

import io.panamanetty.testsuite.PeerResetScenario;
import io.panamanetty.testsuite.TestTransport;

/** {@link PeerResetScenario} on the io_uring transport. */
class IoUringPeerResetTest extends PeerResetScenario {
    @Override
    protected TestTransport transport() {
        return IoUringTestTransport.INSTANCE;
    }
}
