package io.panamanetty.transport.epoll;

import io.panamanetty.testsuite.AcceptExhaustionScenario;
import io.panamanetty.testsuite.TestTransport;

/** {@link AcceptExhaustionScenario} on the epoll transport. */
class EpollAcceptExhaustionTest extends AcceptExhaustionScenario {
    @Override
    protected TestTransport transport() {
        return EpollTestTransport.INSTANCE;
    }
}
