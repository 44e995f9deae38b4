package io.panamanetty.transport.epoll;

import io.panamanetty.testsuite.TimeoutHandlersScenario;
import io.panamanetty.testsuite.TestTransport;

/** {@link TimeoutHandlersScenario} on the epoll transport. */
class EpollTimeoutHandlersTest extends TimeoutHandlersScenario {
    @Override
    protected TestTransport transport() {
        return EpollTestTransport.INSTANCE;
    }
}
