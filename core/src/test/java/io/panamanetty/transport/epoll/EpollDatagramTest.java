package io.panamanetty.transport.epoll;

import io.panamanetty.testsuite.DatagramScenario;
import io.panamanetty.testsuite.TestTransport;

/** {@link DatagramScenario} on the epoll transport. */
class EpollDatagramTest extends DatagramScenario {
    @Override
    protected TestTransport transport() {
        return EpollTestTransport.INSTANCE;
    }
}
