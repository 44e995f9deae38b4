package io.panamanetty.transport.uring;

import io.panamanetty.testsuite.BufferOwnershipScenario;
import io.panamanetty.testsuite.TestTransport;

/** {@link BufferOwnershipScenario} on the io_uring transport. */
class IoUringBufferOwnershipTest extends BufferOwnershipScenario {
    @Override
    protected TestTransport transport() {
        return IoUringTestTransport.INSTANCE;
    }
}
