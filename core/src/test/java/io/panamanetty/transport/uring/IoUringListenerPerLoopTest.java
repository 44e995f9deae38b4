package io.panamanetty.transport.uring;

import io.panamanetty.testsuite.ListenerPerLoopScenario;
import io.panamanetty.testsuite.TestTransport;

/** {@link ListenerPerLoopScenario} on the io_uring transport. */
class IoUringListenerPerLoopTest extends ListenerPerLoopScenario {
    @Override
    protected TestTransport transport() {
        return IoUringTestTransport.INSTANCE;
    }
}
