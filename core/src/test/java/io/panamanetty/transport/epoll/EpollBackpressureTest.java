package io.panamanetty.transport.epoll;

import io.panamanetty.testsuite.BackpressureScenario;
import io.panamanetty.testsuite.TestTransport;

/** {@link BackpressureScenario} on the epoll transport. */
class EpollBackpressureTest extends BackpressureScenario {
    @Override
    protected TestTransport transport() {
        return EpollTestTransport.INSTANCE;
    }
}
