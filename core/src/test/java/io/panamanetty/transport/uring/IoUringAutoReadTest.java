package io.panamanetty.transport.uring;

import io.panamanetty.testsuite.AutoReadScenario;
import io.panamanetty.testsuite.TestTransport;

/** {@link AutoReadScenario} on the io_uring transport. */
class IoUringAutoReadTest extends AutoReadScenario {
    @Override
    protected TestTransport transport() {
        return IoUringTestTransport.INSTANCE;
    }
}
