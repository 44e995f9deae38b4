package io.panamanetty.transport.uring;

import io.panamanetty.testsuite.TestTransport;
import io.panamanetty.testsuite.TlsBoundedWriteScenario;

/** {@link TlsBoundedWriteScenario} on the io_uring transport. */
class IoUringTlsBoundedWriteTest extends TlsBoundedWriteScenario {
    @Override
    protected TestTransport transport() {
        return IoUringTestTransport.INSTANCE;
    }
}
