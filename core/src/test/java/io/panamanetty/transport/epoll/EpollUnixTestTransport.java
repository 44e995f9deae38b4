package io.panamanetty.transport.epoll;

import io.panamanetty.bootstrap.Bootstrap;
import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelFuture;
import io.panamanetty.channel.DomainSocketAddress;
import io.panamanetty.channel.IoHandlerFactory;
import io.panamanetty.testsuite.PeerListener;
import io.panamanetty.testsuite.TestTransport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The epoll transport over Unix domain stream sockets, for the stream scenarios that take
 * their addresses from the transport: servers and JDK peers listen on socket files in a
 * directory of this run's own (the JDK's peers cannot reach an abstract name), and a TLS
 * client names the server {@code localhost} with {@code Bootstrap.tlsServerName}.
 */
@SuppressWarnings("exports")   // the test suite's own types, in test code patched into the module
public final class EpollUnixTestTransport implements TestTransport {
    /** The one instance. */
    public static final EpollUnixTestTransport INSTANCE = new EpollUnixTestTransport();

    private final AtomicLong sockets = new AtomicLong();
    private volatile Path directory;

    private EpollUnixTestTransport() {
    }

    @Override
    public String name() {
        return "epoll over Unix domain sockets";
    }

    @Override
    public IoHandlerFactory factory() {
        return new EpollIoHandlerFactory();
    }

    @Override
    public Set<Feature> unsupported() {
        return EnumSet.noneOf(Feature.class);
    }

    /** A new socket file's path (not made yet): the servers remove theirs as they close. */
    private Path nextSocketFile() {
        Path dir = directory;
        if (dir == null) {
            synchronized (this) {
                if (directory == null) {
                    try {
                        directory = Files.createTempDirectory("panama-unix-scenarios");
                        directory.toFile().deleteOnExit();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
                dir = directory;
            }
        }
        return dir.resolve("s" + sockets.incrementAndGet() + ".sock");
    }

    @Override
    public SocketAddress serverAddress() {
        return DomainSocketAddress.of(nextSocketFile());
    }

    @Override
    public PeerListener peerListener() throws IOException {
        return PeerListener.unix(nextSocketFile());
    }

    @Override
    public ChannelFuture connectByName(Bootstrap bootstrap, Channel server) {
        return bootstrap.tlsServerName("localhost").connect(server.localAddress());
    }
}
