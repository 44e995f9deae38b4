package io.panamanetty.transport.uring;

import io.panamanetty.testsuite.ConnectionControlScenario;
import io.panamanetty.testsuite.TestTransport;

/** {@link ConnectionControlScenario} on the io_uring transport. */
class IoUringConnectionControlTest extends ConnectionControlScenario {
    @Override
    protected TestTransport transport() {
        return IoUringTestTransport.INSTANCE;
    }
}
