package io.panamanetty.transport.uring;

import io.panamanetty.testsuite.EndOfInputScenario;
import io.panamanetty.testsuite.TestTransport;

/** {@link EndOfInputScenario} on the io_uring transport. */
class IoUringEndOfInputTest extends EndOfInputScenario {
    @Override
    protected TestTransport transport() {
        return IoUringTestTransport.INSTANCE;
    }
}
