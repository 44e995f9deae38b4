package io.panamanetty.transport.epoll;

import io.panamanetty.testsuite.ClosedMeansClosedScenario;
import io.panamanetty.testsuite.TestTransport;

/** {@link ClosedMeansClosedScenario} on the epoll transport. */
class EpollClosedMeansClosedTest extends ClosedMeansClosedScenario {
    @Override
    protected TestTransport transport() {
        return EpollTestTransport.INSTANCE;
    }
}
