package io.panamanetty.transport.uring;

import io.panamanetty.testsuite.FlushReentryScenario;
import io.panamanetty.testsuite.TestTransport;

/** {@link FlushReentryScenario} on the io_uring transport. */
class IoUringFlushReentryTest extends FlushReentryScenario {
    @Override
    protected TestTransport transport() {
        return IoUringTestTransport.INSTANCE;
    }
}
