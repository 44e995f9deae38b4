package io.panamanetty.transport.epoll;

import io.panamanetty.testsuite.CallbackOrderScenario;
import io.panamanetty.testsuite.TestTransport;

/** {@link CallbackOrderScenario} on the epoll transport. */
class EpollCallbackOrderTest extends CallbackOrderScenario {
    @Override
    protected TestTransport transport() {
        return EpollTestTransport.INSTANCE;
    }
}
