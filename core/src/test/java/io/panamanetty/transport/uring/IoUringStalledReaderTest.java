package io.panamanetty.transport.uring;

import io.panamanetty.testsuite.StalledReaderScenario;
import io.panamanetty.testsuite.TestTransport;

/** {@link StalledReaderScenario} on the io_uring transport. */
class IoUringStalledReaderTest extends StalledReaderScenario {
    @Override
    protected TestTransport transport() {
        return IoUringTestTransport.INSTANCE;
    }
}
