package io.panamanetty.transport.epoll;

import io.panamanetty.testsuite.EndOfInputScenario;
import io.panamanetty.testsuite.TestTransport;

/** {@link EndOfInputScenario} on the epoll transport. */
class EpollEndOfInputTest extends EndOfInputScenario {
    @Override
    protected TestTransport transport() {
        return EpollTestTransport.INSTANCE;
    }
}
