package io.panamanetty.transport.epoll;

import io.panamanetty.testsuite.HandlerExceptionsScenario;
import io.panamanetty.testsuite.TestTransport;

/** {@link HandlerExceptionsScenario} on the epoll transport. */
class EpollHandlerExceptionsTest extends HandlerExceptionsScenario {
    @Override
    protected TestTransport transport() {
        return EpollTestTransport.INSTANCE;
    }
}
