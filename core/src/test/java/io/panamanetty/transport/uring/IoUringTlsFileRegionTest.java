package io.panamanetty.transport.uring;

import io.panamanetty.testsuite.TlsFileRegionScenario;
import io.panamanetty.testsuite.TestTransport;

/** {@link TlsFileRegionScenario} on the io_uring transport, which declares it unsupported. */
class IoUringTlsFileRegionTest extends TlsFileRegionScenario {
    @Override
    protected TestTransport transport() {
        return IoUringTestTransport.INSTANCE;
    }
}
