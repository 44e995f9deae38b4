package io.panamanetty.transport.uring;

import io.panamanetty.testsuite.SlowReaderScenario;
import io.panamanetty.testsuite.TestTransport;

/** {@link SlowReaderScenario} on the io_uring transport. */
class IoUringSlowReaderTest extends SlowReaderScenario {
    @Override
    protected TestTransport transport() {
        return IoUringTestTransport.INSTANCE;
    }
}
