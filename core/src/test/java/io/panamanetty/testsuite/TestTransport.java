package io.panamanetty.testsuite;

import io.panamanetty.bootstrap.Bootstrap;
import io.panamanetty.bootstrap.ServerBootstrap;
import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelFuture;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.channel.IoHandlerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Set;

/**
 * A transport the scenario suite runs against: each transport's test package names one
 * (epoll: {@code EpollTestTransport}) and re-runs every {@code *Scenario} with it through a
 * short subclass ({@code EpollHalfCloseTest extends HalfCloseScenario}).
 *
 * <p>The stream scenarios that take their addresses from here ({@link #serverAddress()},
 * {@link #peerListener()}, {@link #connectByName}) also run over Unix domain sockets, with a
 * transport whose addresses are socket files ({@code EpollUnixTestTransport}).
 */
public interface TestTransport {

    /** What a transport may lack; a scenario that needs it says so through {@link TransportScenario#requireFeature}. */
    enum Feature {
        /** Zero-copy forwarding between two TCP channels ({@code Splice}). */
        SPLICE,
        /** Writing a {@code FileRegion} (sendfile) into a stream channel. */
        FILE_REGION,
        /** UDP channels ({@code Bootstrap.bindDatagram}...). */
        DATAGRAM
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

    /** The address a stream scenario's server binds: by default 127.0.0.1 and a free port. */
    default SocketAddress serverAddress() {
        return new InetSocketAddress("127.0.0.1", 0);
    }

    /** A JDK listener for a stream scenario's client to connect to: by default TCP on 127.0.0.1. */
    default PeerListener peerListener() throws IOException {
        return PeerListener.tcp();
    }

    /**
     * Connects {@code bootstrap} to {@code server} by the name its TLS certificate holds,
     * {@code localhost}: by default as a host name, {@code connect("localhost", port)}.
     */
    default ChannelFuture connectByName(Bootstrap bootstrap, Channel server) {
        return bootstrap.connect("localhost", ((InetSocketAddress) server.localAddress()).getPort());
    }

    /** A client bootstrap whose own group (if it is given none) is of this transport. */
    default Bootstrap bootstrap() {
        return new Bootstrap().transport(factory());
    }

    /**
     * Buffers of the transport's loops lent to the kernel now (io_uring's receive rings): they
     * count as outstanding in {@code BufferStatistics} though no handler holds them, so a
     * scenario comparing those counts subtracts them; 0 by default.
     */
    default long buffersLentToTheKernel() {
        return 0;
    }

    /** The bytes of {@link #buffersLentToTheKernel()}'s buffers; 0 by default. */
    default long bytesLentToTheKernel() {
        return 0;
    }
}
