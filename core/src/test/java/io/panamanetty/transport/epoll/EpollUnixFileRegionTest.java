package io.panamanetty.transport.epoll;

import io.panamanetty.testsuite.FileRegionScenario;
import io.panamanetty.testsuite.TestTransport;

/**
 * {@link FileRegionScenario} on the epoll transport over Unix domain sockets: {@code sendfile(2)}
 * into a Unix stream socket (the scenario on a small receive buffer stays on TCP).
 */
class EpollUnixFileRegionTest extends FileRegionScenario {
    @Override
    protected TestTransport transport() {
        return EpollUnixTestTransport.INSTANCE;
    }
}
