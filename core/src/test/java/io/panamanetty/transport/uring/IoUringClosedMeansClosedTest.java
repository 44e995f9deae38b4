package io.panamanetty.transport.uring;

import io.panamanetty.testsuite.ClosedMeansClosedScenario;
import io.panamanetty.testsuite.TestTransport;

/** {@link ClosedMeansClosedScenario} on the io_uring transport. */
class IoUringClosedMeansClosedTest extends ClosedMeansClosedScenario {
    @Override
    protected TestTransport transport() {
        return IoUringTestTransport.INSTANCE;
    }
}
