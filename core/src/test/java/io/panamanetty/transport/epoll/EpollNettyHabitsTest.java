package io.panamanetty.transport.epoll;

import io.panamanetty.testsuite.NettyHabitsScenario;
import io.panamanetty.testsuite.TestTransport;

/** {@link NettyHabitsScenario} on the epoll transport. */
class EpollNettyHabitsTest extends NettyHabitsScenario {
    @Override
    protected TestTransport transport() {
        return EpollTestTransport.INSTANCE;
    }
}
