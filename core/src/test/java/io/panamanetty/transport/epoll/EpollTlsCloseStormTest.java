package io.panamanetty.transport.epoll;

import io.panamanetty.testsuite.TlsCloseStormScenario;
import io.panamanetty.testsuite.TestTransport;

/** {@link TlsCloseStormScenario} on the epoll transport. */
class EpollTlsCloseStormTest extends TlsCloseStormScenario {
    @Override
    protected TestTransport transport() {
        return EpollTestTransport.INSTANCE;
    }
}
