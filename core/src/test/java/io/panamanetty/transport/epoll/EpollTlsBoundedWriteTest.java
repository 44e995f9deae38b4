package io.panamanetty.transport.epoll;

import io.panamanetty.testsuite.TestTransport;
import io.panamanetty.testsuite.TlsBoundedWriteScenario;

/** {@link TlsBoundedWriteScenario} on the epoll transport. */
class EpollTlsBoundedWriteTest extends TlsBoundedWriteScenario {
    @Override
    protected TestTransport transport() {
        return EpollTestTransport.INSTANCE;
    }
}
