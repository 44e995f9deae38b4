package io.panamanetty.transport.epoll;

import io.panamanetty.testsuite.CompositeWriteScenario;
import io.panamanetty.testsuite.TestTransport;

/** {@link CompositeWriteScenario} on the epoll transport. */
class EpollCompositeWriteTest extends CompositeWriteScenario {
    @Override
    protected TestTransport transport() {
        return EpollTestTransport.INSTANCE;
    }
}
