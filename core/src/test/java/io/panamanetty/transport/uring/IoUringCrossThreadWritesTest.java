package io.panamanetty.transport.uring;

import io.panamanetty.testsuite.CrossThreadWritesScenario;
import io.panamanetty.testsuite.TestTransport;

/** {@link CrossThreadWritesScenario} on the io_uring transport. */
class IoUringCrossThreadWritesTest extends CrossThreadWritesScenario {
    @Override
    protected TestTransport transport() {
        return IoUringTestTransport.INSTANCE;
    }
}
