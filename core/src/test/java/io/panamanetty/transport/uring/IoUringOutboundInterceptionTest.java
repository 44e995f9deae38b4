package io.panamanetty.transport.uring;

import io.panamanetty.testsuite.OutboundInterceptionScenario;
import io.panamanetty.testsuite.TestTransport;

/** {@link OutboundInterceptionScenario} on the io_uring transport. */
class IoUringOutboundInterceptionTest extends OutboundInterceptionScenario {
    @Override
    protected TestTransport transport() {
        return IoUringTestTransport.INSTANCE;
    }
}
