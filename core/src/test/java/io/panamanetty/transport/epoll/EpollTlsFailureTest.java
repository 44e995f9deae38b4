package io.panamanetty.transport.epoll;

import io.panamanetty.testsuite.TestTransport;
import io.panamanetty.testsuite.TlsFailureScenario;

/** {@link TlsFailureScenario} on the epoll transport. */
class EpollTlsFailureTest extends TlsFailureScenario {
    @Override
    protected TestTransport transport() {
        return EpollTestTransport.INSTANCE;
    }
}
