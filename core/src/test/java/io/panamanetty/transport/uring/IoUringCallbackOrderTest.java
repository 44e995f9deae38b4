package io.panamanetty.transport.uring;

import io.panamanetty.testsuite.CallbackOrderScenario;
import io.panamanetty.testsuite.TestTransport;

/** {@link CallbackOrderScenario} on the io_uring transport. */
class IoUringCallbackOrderTest extends CallbackOrderScenario {
    @Override
    protected TestTransport transport() {
        return IoUringTestTransport.INSTANCE;
    }
}
