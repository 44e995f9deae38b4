package io.panamanetty.transport.epoll;

import io.panamanetty.testsuite.ListenerPerLoopScenario;
import io.panamanetty.testsuite.TestTransport;

/** {@link ListenerPerLoopScenario} on the epoll transport. */
class EpollListenerPerLoopTest extends ListenerPerLoopScenario {
    @Override
    protected TestTransport transport() {
        return EpollTestTransport.INSTANCE;
    }
}
