package io.panamanetty.transport.uring;

import io.panamanetty.testsuite.AcceptExhaustionScenario;
import io.panamanetty.testsuite.TestTransport;

/** {@link AcceptExhaustionScenario} on the io_uring transport. */
class IoUringAcceptExhaustionTest extends AcceptExhaustionScenario {
    @Override
    protected TestTransport transport() {
        return IoUringTestTransport.INSTANCE;
    }
}
