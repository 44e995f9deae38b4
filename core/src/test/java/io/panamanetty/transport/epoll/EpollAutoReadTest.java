package io.panamanetty.transport.epoll;

import io.panamanetty.testsuite.AutoReadScenario;
import io.panamanetty.testsuite.TestTransport;

/** {@link AutoReadScenario} on the epoll transport. */
class EpollAutoReadTest extends AutoReadScenario {
    @Override
    protected TestTransport transport() {
        return EpollTestTransport.INSTANCE;
    }
}
