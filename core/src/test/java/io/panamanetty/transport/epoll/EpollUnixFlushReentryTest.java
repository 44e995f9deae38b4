package io.panamanetty.transport.epoll;

import io.panamanetty.testsuite.FlushReentryScenario;
import io.panamanetty.testsuite.TestTransport;

/** {@link FlushReentryScenario} on the epoll transport over Unix domain sockets. */
class EpollUnixFlushReentryTest extends FlushReentryScenario {
    @Override
    protected TestTransport transport() {
        return EpollUnixTestTransport.INSTANCE;
    }
}
