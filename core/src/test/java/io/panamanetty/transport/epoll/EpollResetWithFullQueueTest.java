package io.panamanetty.transport.epoll;

import io.panamanetty.testsuite.ResetWithFullQueueScenario;
import io.panamanetty.testsuite.TestTransport;

/** {@link ResetWithFullQueueScenario} on the epoll transport. */
class EpollResetWithFullQueueTest extends ResetWithFullQueueScenario {
    @Override
    protected TestTransport transport() {
        return EpollTestTransport.INSTANCE;
    }
}
