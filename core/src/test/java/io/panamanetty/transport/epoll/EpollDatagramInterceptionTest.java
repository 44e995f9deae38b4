package io.panamanetty.transport.epoll;

import io.panamanetty.testsuite.DatagramInterceptionScenario;
import io.panamanetty.testsuite.TestTransport;

/** {@link DatagramInterceptionScenario} on the epoll transport. */
class EpollDatagramInterceptionTest extends DatagramInterceptionScenario {
    @Override
    protected TestTransport transport() {
        return EpollTestTransport.INSTANCE;
    }
}
