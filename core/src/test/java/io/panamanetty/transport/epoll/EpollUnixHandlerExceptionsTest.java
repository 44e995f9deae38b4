package io.panamanetty.transport.epoll;

import io.panamanetty.testsuite.HandlerExceptionsScenario;
import io.panamanetty.testsuite.TestTransport;

/** {@link HandlerExceptionsScenario} on the epoll transport over Unix domain sockets. */
class EpollUnixHandlerExceptionsTest extends HandlerExceptionsScenario {
    @Override
    protected TestTransport transport() {
        return EpollUnixTestTransport.INSTANCE;
    }
}
