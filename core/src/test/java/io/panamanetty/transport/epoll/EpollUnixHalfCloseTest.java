package io.panamanetty.transport.epoll;

import io.panamanetty.testsuite.HalfCloseScenario;
import io.panamanetty.testsuite.TestTransport;

/** {@link HalfCloseScenario} on the epoll transport over Unix domain sockets. */
class EpollUnixHalfCloseTest extends HalfCloseScenario {
    @Override
    protected TestTransport transport() {
        return EpollUnixTestTransport.INSTANCE;
    }
}
