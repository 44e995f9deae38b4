package io.panamanetty.transport.epoll;

import io.panamanetty.testsuite.EchoSmokeScenario;
import io.panamanetty.testsuite.TestTransport;

/** {@link EchoSmokeScenario} on the epoll transport. */
class EpollEchoSmokeTest extends EchoSmokeScenario {
    @Override
    protected TestTransport transport() {
        return EpollTestTransport.INSTANCE;
    }
}
