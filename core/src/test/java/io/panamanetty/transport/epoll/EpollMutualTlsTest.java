package io.panamanetty.transport.epoll;

import io.panamanetty.testsuite.MutualTlsScenario;
import io.panamanetty.testsuite.TestTransport;

/** {@link MutualTlsScenario} on the epoll transport. */
class EpollMutualTlsTest extends MutualTlsScenario {
    @Override
    protected TestTransport transport() {
        return EpollTestTransport.INSTANCE;
    }
}
