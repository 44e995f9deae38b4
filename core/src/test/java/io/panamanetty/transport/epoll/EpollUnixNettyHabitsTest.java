package io.panamanetty.transport.epoll;

import io.panamanetty.testsuite.NettyHabitsScenario;
import io.panamanetty.testsuite.TestTransport;

/** {@link NettyHabitsScenario} on the epoll transport over Unix domain sockets. */
class EpollUnixNettyHabitsTest extends NettyHabitsScenario {
    @Override
    protected TestTransport transport() {
        return EpollUnixTestTransport.INSTANCE;
    }
}
