package io.panamanetty.transport.epoll;

import io.panamanetty.testsuite.BootstrapTlsScenario;
import io.panamanetty.testsuite.TestTransport;

/** {@link BootstrapTlsScenario} on the epoll transport over Unix domain sockets. */
class EpollUnixBootstrapTlsTest extends BootstrapTlsScenario {
    @Override
    protected TestTransport transport() {
        return EpollUnixTestTransport.INSTANCE;
    }
}
