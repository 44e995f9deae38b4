package io.panamanetty.transport.epoll;

import io.panamanetty.testsuite.StalledReaderScenario;
import io.panamanetty.testsuite.TestTransport;

/** {@link StalledReaderScenario} on the epoll transport. */
class EpollStalledReaderTest extends StalledReaderScenario {
    @Override
    protected TestTransport transport() {
        return EpollTestTransport.INSTANCE;
    }
}
