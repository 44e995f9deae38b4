package io.panamanetty.transport.uring;

import io.panamanetty.testsuite.TestTransport;
import io.panamanetty.testsuite.TlsFailureScenario;

/** {@link TlsFailureScenario} on the io_uring transport. */
class IoUringTlsFailureTest extends TlsFailureScenario {
    @Override
    protected TestTransport transport() {
        return IoUringTestTransport.INSTANCE;
    }
}
