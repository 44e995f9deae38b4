package io.panamanetty.transport.epoll;

import io.panamanetty.testsuite.FutureDeadlockScenario;
import io.panamanetty.testsuite.TestTransport;

/** {@link FutureDeadlockScenario} on the epoll transport. */
class EpollFutureDeadlockTest extends FutureDeadlockScenario {
    @Override
    protected TestTransport transport() {
        return EpollTestTransport.INSTANCE;
    }
}
