package io.panamanetty.transport.epoll;

import io.panamanetty.testsuite.TlsFileRegionScenario;
import io.panamanetty.testsuite.TestTransport;

/** {@link TlsFileRegionScenario} on the epoll transport. */
class EpollTlsFileRegionTest extends TlsFileRegionScenario {
    @Override
    protected TestTransport transport() {
        return EpollTestTransport.INSTANCE;
    }
}
