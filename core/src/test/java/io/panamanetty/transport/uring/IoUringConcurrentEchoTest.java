package io.panamanetty.transport.uring;

import io.panamanetty.testsuite.ConcurrentEchoScenario;
import io.panamanetty.testsuite.TestTransport;

/** {@link ConcurrentEchoScenario} on the io_uring transport. */
class IoUringConcurrentEchoTest extends ConcurrentEchoScenario {
    @Override
    protected TestTransport transport() {
        return IoUringTestTransport.INSTANCE;
    }
}
