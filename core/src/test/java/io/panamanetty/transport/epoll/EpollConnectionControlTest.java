package io.panamanetty.transport.epoll;

import io.panamanetty.testsuite.ConnectionControlScenario;
import io.panamanetty.testsuite.TestTransport;

/** {@link ConnectionControlScenario} on the epoll transport. */
class EpollConnectionControlTest extends ConnectionControlScenario {
    @Override
    protected TestTransport transport() {
        return EpollTestTransport.INSTANCE;
    }
}
