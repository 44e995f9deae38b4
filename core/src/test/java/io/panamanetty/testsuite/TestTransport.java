package io.panamanetty.testsuite;

import io.panamanetty.bootstrap.Bootstrap;
import io.panamanetty.bootstrap.ServerBootstrap;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.channel.IoHandlerFactory;

import java.util.Set;

/**
 * A transport the scenario suite runs against: each transport's test package names one
 * (epoll: {@code EpollTestTransport}) and re-runs every {@code *Scenario} with it through a
 * short subclass ({@code EpollHalfCloseTest extends HalfCloseScenario}).
 */
public interface TestTransport {

    /** What a transport may lack; a scenario that needs it says so through {@link TransportScenario#requireFeature}. */
    enum Feature {
        /** Zero-copy forwarding between two TCP channels ({@code Splice}). */
        SPLICE
    }

    /** The transport's name, for messages. */
    String name();

    /** The factory of the transport's loops. */
    IoHandlerFactory factory();

    /** The features this transport does not have: declared here, never found out by a skip. */
    Set<Feature> unsupported();

    /** A group of {@code threads} loops of this transport. */
    default EventLoopGroup newGroup(int threads, String name) {
        return new EventLoopGroup(threads, name, factory());
    }

    /** A server bootstrap whose own groups (if it is given none) are of this transport. */
    default ServerBootstrap serverBootstrap() {
        return new ServerBootstrap().transport(factory());
    }

    /** A client bootstrap whose own group (if it is given none) is of this transport. */
    default Bootstrap bootstrap() {
        return new Bootstrap().transport(factory());
    }
}
