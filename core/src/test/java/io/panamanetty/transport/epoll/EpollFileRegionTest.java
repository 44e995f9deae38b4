package io.panamanetty.transport.epoll;

import io.panamanetty.testsuite.FileRegionScenario;
import io.panamanetty.testsuite.TestTransport;

/** {@link FileRegionScenario} on the epoll transport. */
class EpollFileRegionTest extends FileRegionScenario {
    @Override
    protected TestTransport transport() {
        return EpollTestTransport.INSTANCE;
    }
}
