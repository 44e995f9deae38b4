package io.panamanetty.transport.epoll;

import io.panamanetty.testsuite.TcpInfoScenario;
import io.panamanetty.testsuite.TestTransport;

/** {@link TcpInfoScenario} on the epoll transport. */
class EpollTcpInfoTest extends TcpInfoScenario {
    @Override
    protected TestTransport transport() {
        return EpollTestTransport.INSTANCE;
    }
}
