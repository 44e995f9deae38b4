package io.panamanetty.transport.epoll;

import io.panamanetty.testsuite.CrossThreadWritesScenario;
import io.panamanetty.testsuite.TestTransport;

/** {@link CrossThreadWritesScenario} on the epoll transport. */
class EpollCrossThreadWritesTest extends CrossThreadWritesScenario {
    @Override
    protected TestTransport transport() {
        return EpollTestTransport.INSTANCE;
    }
}
