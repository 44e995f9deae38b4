package io.panamanetty.transport.epoll;

import io.panamanetty.testsuite.EchoSmokeScenario;
import io.panamanetty.testsuite.TestTransport;

/** {@link EchoSmokeScenario} on the epoll transport over Unix domain sockets. */
class EpollUnixEchoSmokeTest extends EchoSmokeScenario {
    @Override
    protected TestTransport transport() {
        return EpollUnixTestTransport.INSTANCE;
    }
}
