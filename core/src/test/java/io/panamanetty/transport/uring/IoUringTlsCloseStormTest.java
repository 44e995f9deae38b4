package io.panamanetty.transport.uring;

import io.panamanetty.testsuite.TlsCloseStormScenario;
import io.panamanetty.testsuite.TestTransport;

/** {@link TlsCloseStormScenario} on the io_uring transport. */
class IoUringTlsCloseStormTest extends TlsCloseStormScenario {
    @Override
    protected TestTransport transport() {
        return IoUringTestTransport.INSTANCE;
    }
}
