package io.panamanetty.transport.uring;

import io.panamanetty.testsuite.RecyclingStressScenario;
import io.panamanetty.testsuite.TestTransport;

/** {@link RecyclingStressScenario} on the io_uring transport. */
class IoUringRecyclingStressTest extends RecyclingStressScenario {
    @Override
    protected TestTransport transport() {
        return IoUringTestTransport.INSTANCE;
    }
}
