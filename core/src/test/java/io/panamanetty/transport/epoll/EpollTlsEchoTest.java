package io.panamanetty.transport.epoll;

import io.panamanetty.testsuite.TestTransport;
import io.panamanetty.testsuite.TlsEchoScenario;

/** {@link TlsEchoScenario} on the epoll transport. */
class EpollTlsEchoTest extends TlsEchoScenario {
    @Override
    protected TestTransport transport() {
        return EpollTestTransport.INSTANCE;
    }
}
