package io.panamanetty.transport.epoll;

import io.panamanetty.testsuite.FlushConsolidationScenario;
import io.panamanetty.testsuite.TestTransport;

/** {@link FlushConsolidationScenario} on the epoll transport. */
class EpollFlushConsolidationTest extends FlushConsolidationScenario {
    @Override
    protected TestTransport transport() {
        return EpollTestTransport.INSTANCE;
    }
}
