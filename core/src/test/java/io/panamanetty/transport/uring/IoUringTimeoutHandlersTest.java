package io.panamanetty.transport.uring;

import io.panamanetty.testsuite.TimeoutHandlersScenario;
import io.panamanetty.testsuite.TestTransport;

/** {@link TimeoutHandlersScenario} on the io_uring transport. */
class IoUringTimeoutHandlersTest extends TimeoutHandlersScenario {
    @Override
    protected TestTransport transport() {
        return IoUringTestTransport.INSTANCE;
    }
}
