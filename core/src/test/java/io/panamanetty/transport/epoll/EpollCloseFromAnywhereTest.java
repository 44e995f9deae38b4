package io.panamanetty.transport.epoll;

import io.panamanetty.testsuite.CloseFromAnywhereScenario;
import io.panamanetty.testsuite.TestTransport;

/** {@link CloseFromAnywhereScenario} on the epoll transport. */
class EpollCloseFromAnywhereTest extends CloseFromAnywhereScenario {
    @Override
    protected TestTransport transport() {
        return EpollTestTransport.INSTANCE;
    }
}
