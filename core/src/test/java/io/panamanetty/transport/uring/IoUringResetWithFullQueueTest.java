package io.panamanetty.transport.uring;

import io.panamanetty.testsuite.ResetWithFullQueueScenario;
import io.panamanetty.testsuite.TestTransport;

/** {@link ResetWithFullQueueScenario} on the io_uring transport. */
class IoUringResetWithFullQueueTest extends ResetWithFullQueueScenario {
    @Override
    protected TestTransport transport() {
        return IoUringTestTransport.INSTANCE;
    }
}
