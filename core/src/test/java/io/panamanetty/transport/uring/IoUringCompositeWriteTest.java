package io.panamanetty.transport.uring;

import io.panamanetty.testsuite.CompositeWriteScenario;
import io.panamanetty.testsuite.TestTransport;

/** {@link CompositeWriteScenario} on the io_uring transport. */
class IoUringCompositeWriteTest extends CompositeWriteScenario {
    @Override
    protected TestTransport transport() {
        return IoUringTestTransport.INSTANCE;
    }
}
