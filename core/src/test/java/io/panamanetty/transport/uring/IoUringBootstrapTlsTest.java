package io.panamanetty.transport.uring;

import io.panamanetty.testsuite.BootstrapTlsScenario;
import io.panamanetty.testsuite.TestTransport;

/** {@link BootstrapTlsScenario} on the io_uring transport. */
class IoUringBootstrapTlsTest extends BootstrapTlsScenario {
    @Override
    protected TestTransport transport() {
        return IoUringTestTransport.INSTANCE;
    }
}
