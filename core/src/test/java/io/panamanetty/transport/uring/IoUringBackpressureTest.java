package io.panamanetty.transport.uring;

import io.panamanetty.testsuite.BackpressureScenario;
import io.panamanetty.testsuite.TestTransport;

/** {@link BackpressureScenario} on the io_uring transport. */
class IoUringBackpressureTest extends BackpressureScenario {
    @Override
    protected TestTransport transport() {
        return IoUringTestTransport.INSTANCE;
    }
}
