package io.panamanetty.transport.epoll;

import io.panamanetty.testsuite.CancelConnectScenario;
import io.panamanetty.testsuite.TestTransport;

/** {@link CancelConnectScenario} on the epoll transport. */
class EpollCancelConnectTest extends CancelConnectScenario {
    @Override
    protected TestTransport transport() {
        return EpollTestTransport.INSTANCE;
    }
}
