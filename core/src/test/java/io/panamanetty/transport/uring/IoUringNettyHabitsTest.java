package io.panamanetty.transport.uring;

import io.panamanetty.testsuite.NettyHabitsScenario;
import io.panamanetty.testsuite.TestTransport;

/** {@link NettyHabitsScenario} on the io_uring transport. */
class IoUringNettyHabitsTest extends NettyHabitsScenario {
    @Override
    protected TestTransport transport() {
        return IoUringTestTransport.INSTANCE;
    }
}
