package io.panamanetty.transport.uring;

import io.panamanetty.testsuite.HandlerExceptionsScenario;
import io.panamanetty.testsuite.TestTransport;

/** {@link HandlerExceptionsScenario} on the io_uring transport. */
class IoUringHandlerExceptionsTest extends HandlerExceptionsScenario {
    @Override
    protected TestTransport transport() {
        return IoUringTestTransport.INSTANCE;
    }
}
