package io.panamanetty.transport.epoll;

import io.panamanetty.testsuite.ConcurrentEchoScenario;
import io.panamanetty.testsuite.TestTransport;

/** {@link ConcurrentEchoScenario} on the epoll transport. */
class EpollConcurrentEchoTest extends ConcurrentEchoScenario {
    @Override
    protected TestTransport transport() {
        return EpollTestTransport.INSTANCE;
    }
}
