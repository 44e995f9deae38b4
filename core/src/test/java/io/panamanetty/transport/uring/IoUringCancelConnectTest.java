package io.panamanetty.transport.uring;

import io.panamanetty.testsuite.CancelConnectScenario;
import io.panamanetty.testsuite.TestTransport;

/** {@link CancelConnectScenario} on the io_uring transport. */
class IoUringCancelConnectTest extends CancelConnectScenario {
    @Override
    protected TestTransport transport() {
        return IoUringTestTransport.INSTANCE;
    }
}
