package io.panamanetty.transport.uring;

import io.panamanetty.testsuite.MutualTlsScenario;
import io.panamanetty.testsuite.TestTransport;

/** {@link MutualTlsScenario} on the io_uring transport. */
class IoUringMutualTlsTest extends MutualTlsScenario {
    @Override
    protected TestTransport transport() {
        return IoUringTestTransport.INSTANCE;
    }
}
