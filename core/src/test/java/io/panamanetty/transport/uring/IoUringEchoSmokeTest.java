package io.panamanetty.transport.uring;

import io.panamanetty.testsuite.EchoSmokeScenario;
import io.panamanetty.testsuite.TestTransport;

/** {@link EchoSmokeScenario} on the io_uring transport. */
class IoUringEchoSmokeTest extends EchoSmokeScenario {
    @Override
    protected TestTransport transport() {
        return IoUringTestTransport.INSTANCE;
    }
}
