package io.panamanetty.transport.epoll;

import io.panamanetty.testsuite.CloseStormScenario;
import io.panamanetty.testsuite.TestTransport;

/** {@link CloseStormScenario} on the epoll transport. */
class EpollCloseStormTest extends CloseStormScenario {
    @Override
    protected TestTransport transport() {
        return EpollTestTransport.INSTANCE;
    }
}
