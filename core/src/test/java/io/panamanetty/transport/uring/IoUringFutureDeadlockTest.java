package io.panamanetty.transport.uring;

import io.panamanetty.testsuite.FutureDeadlockScenario;
import io.panamanetty.testsuite.TestTransport;

/** {@link FutureDeadlockScenario} on the io_uring transport. */
class IoUringFutureDeadlockTest extends FutureDeadlockScenario {
    @Override
    protected TestTransport transport() {
        return IoUringTestTransport.INSTANCE;
    }
}
