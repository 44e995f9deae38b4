package io.panamanetty.transport.uring;

import io.panamanetty.testsuite.FlushConsolidationScenario;
import io.panamanetty.testsuite.TestTransport;

/** {@link FlushConsolidationScenario} on the io_uring transport. */
class IoUringFlushConsolidationTest extends FlushConsolidationScenario {
    @Override
    protected TestTransport transport() {
        return IoUringTestTransport.INSTANCE;
    }
}
