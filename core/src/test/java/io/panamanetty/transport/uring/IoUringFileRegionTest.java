package io.panamanetty.transport.uring;

import io.panamanetty.testsuite.FileRegionScenario;
import io.panamanetty.testsuite.TestTransport;

/** {@link FileRegionScenario} on the io_uring transport, which declares it unsupported. */
class IoUringFileRegionTest extends FileRegionScenario {
    @Override
    protected TestTransport transport() {
        return IoUringTestTransport.INSTANCE;
    }
}
