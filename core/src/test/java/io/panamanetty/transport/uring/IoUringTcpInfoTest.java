package io.panamanetty.transport.uring;

import io.panamanetty.testsuite.TcpInfoScenario;
import io.panamanetty.testsuite.TestTransport;

/** {@link TcpInfoScenario} on the io_uring transport. */
class IoUringTcpInfoTest extends TcpInfoScenario {
    @Override
    protected TestTransport transport() {
        return IoUringTestTransport.INSTANCE;
    }
}
