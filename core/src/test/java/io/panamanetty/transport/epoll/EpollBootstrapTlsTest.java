package io.panamanetty.transport.epoll;

import io.panamanetty.testsuite.BootstrapTlsScenario;
import io.panamanetty.testsuite.TestTransport;

/** {@link BootstrapTlsScenario} on the epoll transport. */
class EpollBootstrapTlsTest extends BootstrapTlsScenario {
    @Override
    protected TestTransport transport() {
        return EpollTestTransport.INSTANCE;
    }
}
