package io.panamanetty.transport.uring;

import io.panamanetty.testsuite.AutoReadToggleOrderScenario;
import io.panamanetty.testsuite.TestTransport;

/** {@link AutoReadToggleOrderScenario} on the io_uring transport. */
class IoUringAutoReadToggleOrderTest extends AutoReadToggleOrderScenario {
    @Override
    protected TestTransport transport() {
        return IoUringTestTransport.INSTANCE;
    }
}
