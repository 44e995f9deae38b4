package io.panamanetty.transport.uring;

import io.panamanetty.testsuite.TestTransport;
import io.panamanetty.testsuite.TlsEchoScenario;

/** {@link TlsEchoScenario} on the io_uring transport. */
class IoUringTlsEchoTest extends TlsEchoScenario {
    @Override
    protected TestTransport transport() {
        return IoUringTestTransport.INSTANCE;
    }
}
