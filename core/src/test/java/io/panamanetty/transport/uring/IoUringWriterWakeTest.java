package io.panamanetty.transport.uring;

import io.panamanetty.testsuite.TestTransport;
import io.panamanetty.testsuite.WriterWakeScenario;

/** {@link WriterWakeScenario} on the io_uring transport. */
class IoUringWriterWakeTest extends WriterWakeScenario {
    @Override
    protected TestTransport transport() {
        return IoUringTestTransport.INSTANCE;
    }
}
