package io.panamanetty.transport.epoll;

import io.panamanetty.testsuite.RecyclingStressScenario;
import io.panamanetty.testsuite.TestTransport;

/** {@link RecyclingStressScenario} on the epoll transport. */
class EpollRecyclingStressTest extends RecyclingStressScenario {
    @Override
    protected TestTransport transport() {
        return EpollTestTransport.INSTANCE;
    }
}
