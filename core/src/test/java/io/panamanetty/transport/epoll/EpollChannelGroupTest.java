package io.panamanetty.transport.epoll;

import io.panamanetty.testsuite.ChannelGroupScenario;
import io.panamanetty.testsuite.TestTransport;

/** {@link ChannelGroupScenario} on the epoll transport. */
class EpollChannelGroupTest extends ChannelGroupScenario {
    @Override
    protected TestTransport transport() {
        return EpollTestTransport.INSTANCE;
    }
}
