package io.panamanetty.transport.uring;

import io.panamanetty.testsuite.HalfCloseScenario;
import io.panamanetty.testsuite.TestTransport;

/** {@link HalfCloseScenario} on the io_uring transport. */
class IoUringHalfCloseTest extends HalfCloseScenario {
    @Override
    protected TestTransport transport() {
        return IoUringTestTransport.INSTANCE;
    }
}
