package io.panamanetty.transport.epoll;

import io.panamanetty.testsuite.HalfCloseScenario;
import io.panamanetty.testsuite.TestTransport;

/** {@link HalfCloseScenario} on the epoll transport. */
class EpollHalfCloseTest extends HalfCloseScenario {
    @Override
    protected TestTransport transport() {
        return EpollTestTransport.INSTANCE;
    }
}
