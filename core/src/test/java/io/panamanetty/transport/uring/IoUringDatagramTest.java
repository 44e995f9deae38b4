package io.panamanetty.transport.uring;

import io.panamanetty.testsuite.DatagramScenario;
import io.panamanetty.testsuite.TestTransport;

/** {@link DatagramScenario} on the io_uring transport, which declares it unsupported. */
class IoUringDatagramTest extends DatagramScenario {
    @Override
    protected TestTransport transport() {
        return IoUringTestTransport.INSTANCE;
    }
}
