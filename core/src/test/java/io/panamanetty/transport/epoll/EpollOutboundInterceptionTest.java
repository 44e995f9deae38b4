package io.panamanetty.transport.epoll;

import io.panamanetty.testsuite.OutboundInterceptionScenario;
import io.panamanetty.testsuite.TestTransport;

/** {@link OutboundInterceptionScenario} on the epoll transport. */
class EpollOutboundInterceptionTest extends OutboundInterceptionScenario {
    @Override
    protected TestTransport transport() {
        return EpollTestTransport.INSTANCE;
    }
}
