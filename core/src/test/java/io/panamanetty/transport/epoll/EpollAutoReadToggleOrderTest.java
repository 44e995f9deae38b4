package io.panamanetty.transport.epoll;

import io.panamanetty.testsuite.AutoReadToggleOrderScenario;
import io.panamanetty.testsuite.TestTransport;

/** {@link AutoReadToggleOrderScenario} on the epoll transport. */
class EpollAutoReadToggleOrderTest extends AutoReadToggleOrderScenario {
    @Override
    protected TestTransport transport() {
        return EpollTestTransport.INSTANCE;
    }
}
