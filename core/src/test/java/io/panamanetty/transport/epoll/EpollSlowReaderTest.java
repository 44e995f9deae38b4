package io.panamanetty.transport.epoll;

import io.panamanetty.testsuite.SlowReaderScenario;
import io.panamanetty.testsuite.TestTransport;

/** {@link SlowReaderScenario} on the epoll transport. */
class EpollSlowReaderTest extends SlowReaderScenario {
    @Override
    protected TestTransport transport() {
        return EpollTestTransport.INSTANCE;
    }
}
