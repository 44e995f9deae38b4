package io.panamanetty.transport.uring;

import io.panamanetty.testsuite.ChannelGroupScenario;
import io.panamanetty.testsuite.TestTransport;

/** {@link ChannelGroupScenario} on the io_uring transport. */
class IoUringChannelGroupTest extends ChannelGroupScenario {
    @Override
    protected TestTransport transport() {
        return IoUringTestTransport.INSTANCE;
    }
}
