package io.panamanetty.transport.epoll;

import io.panamanetty.testsuite.ConnectFailuresScenario;
import io.panamanetty.testsuite.TestTransport;

/** {@link ConnectFailuresScenario} on the epoll transport. */
class EpollConnectFailuresTest extends ConnectFailuresScenario {
    @Override
    protected TestTransport transport() {
        return EpollTestTransport.INSTANCE;
    }
}
