package io.panamanetty.transport.epoll;

import io.panamanetty.testsuite.BufferOwnershipScenario;
import io.panamanetty.testsuite.TestTransport;

/** {@link BufferOwnershipScenario} on the epoll transport. */
class EpollBufferOwnershipTest extends BufferOwnershipScenario {
    @Override
    protected TestTransport transport() {
        return EpollTestTransport.INSTANCE;
    }
}
