package io.panamanetty.transport.epoll;

import io.panamanetty.testsuite.AutoReadScenario;
import io.panamanetty.testsuite.TestTransport;

/** {@link AutoReadScenario} on the epoll transport over Unix domain sockets (hang-ups included). */
class EpollUnixAutoReadTest extends AutoReadScenario {
    @Override
    protected TestTransport transport() {
        return EpollUnixTestTransport.INSTANCE;
    }
}
