package io.panamanetty.transport.uring;

import io.panamanetty.testsuite.CloseStormScenario;
import io.panamanetty.testsuite.TestTransport;

/** {@link CloseStormScenario} on the io_uring transport. */
class IoUringCloseStormTest extends CloseStormScenario {
    @Override
    protected TestTransport transport() {
        return IoUringTestTransport.INSTANCE;
    }
}
