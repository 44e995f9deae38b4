package io.panamanetty.transport.epoll;

import io.panamanetty.testsuite.FlushReentryScenario;
import io.panamanetty.testsuite.TestTransport;

/** {@link FlushReentryScenario} on the epoll transport. */
class EpollFlushReentryTest extends FlushReentryScenario {
    @Override
    protected TestTransport transport() {
        return EpollTestTransport.INSTANCE;
    }
}
