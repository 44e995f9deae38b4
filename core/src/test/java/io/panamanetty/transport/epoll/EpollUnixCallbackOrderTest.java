package io.panamanetty.transport.epoll;

import io.panamanetty.testsuite.CallbackOrderScenario;
import io.panamanetty.testsuite.TestTransport;

/** {@link CallbackOrderScenario} on the epoll transport over Unix domain sockets. */
class EpollUnixCallbackOrderTest extends CallbackOrderScenario {
    @Override
    protected TestTransport transport() {
        return EpollUnixTestTransport.INSTANCE;
    }
}
