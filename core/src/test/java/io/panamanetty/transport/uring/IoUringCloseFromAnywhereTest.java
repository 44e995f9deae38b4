package io.panamanetty.transport.uring;

import io.panamanetty.testsuite.CloseFromAnywhereScenario;
import io.panamanetty.testsuite.TestTransport;

/** {@link CloseFromAnywhereScenario} on the io_uring transport. */
class IoUringCloseFromAnywhereTest extends CloseFromAnywhereScenario {
    @Override
    protected TestTransport transport() {
        return IoUringTestTransport.INSTANCE;
    }
}
