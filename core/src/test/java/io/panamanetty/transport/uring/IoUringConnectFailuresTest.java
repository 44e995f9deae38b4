package io.panamanetty.transport.uring;

import io.panamanetty.testsuite.ConnectFailuresScenario;
import io.panamanetty.testsuite.TestTransport;

/** {@link ConnectFailuresScenario} on the io_uring transport. */
class IoUringConnectFailuresTest extends ConnectFailuresScenario {
    @Override
    protected TestTransport transport() {
        return IoUringTestTransport.INSTANCE;
    }
}
