package io.panamanetty.transport.epoll;

import io.panamanetty.bindings.Errno;
import io.panamanetty.bindings.FileIo;
import io.panamanetty.bindings.Sockets;
import io.panamanetty.bindings.UnixSockets;
import io.panamanetty.bootstrap.Bootstrap;
import io.panamanetty.channel.ChannelFuture;
import io.panamanetty.channel.ChannelOption;
import io.panamanetty.channel.ConnectTimeoutException;
import io.panamanetty.channel.DomainSocketAddress;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.testing.LeakCheck;
import io.panamanetty.transport.socket.UnixAddresses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.panamanetty.transport.epoll.UnixPeers.TIMEOUT_SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Unix listener whose backlog is full refuses a non-blocking connect with {@code EAGAIN}
 * and signals nothing later: the connect is tried again until the connect timeout, which
 * says why it ran out, and goes through as soon as the listener accepts.
 */
@ExtendWith(LeakCheck.class)
class EpollUnixBacklogTest {

    /** Connects raw sockets to {@code file} until the listener's backlog refuses one; returns those connected. */
    private static List<Integer> fillBacklog(Path file) throws Exception {
        byte[] sunPath = UnixAddresses.sunPath(DomainSocketAddress.of(file));
        List<Integer> fds = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            int fd = UnixSockets.open(Sockets.SOCK_STREAM);
            int result = UnixSockets.connect(fd, sunPath);
            if (result == -Errno.EAGAIN) {
                FileIo.close(fd);
                return fds;
            }
            fds.add(fd);
        }
        fds.forEach(FileIo::close);
        throw new AssertionError("64 connections and the backlog of 1 is still not full");
    }

    @Test
    void aFullBacklogIsRetriedUntilTheTimeoutOrAnAccept(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("backlog.sock");
        try (ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
             EventLoopGroup group = new EventLoopGroup(1, "unix-backlog")) {
            listener.bind(UnixDomainSocketAddress.of(file), 1);
            List<Integer> queued = fillBacklog(file);
            try {
                ChannelFuture timedOut = new Bootstrap().group(group)
                        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 300).connect(file);
                assertTrue(timedOut.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
                assertInstanceOf(ConnectTimeoutException.class, timedOut.cause());
                assertEquals("connect " + file + " timed out after 300 ms (the listener's backlog stayed full)",
                        timedOut.cause().getMessage());

                ChannelFuture waiting = new Bootstrap().group(group)
                        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, TIMEOUT_SECONDS * 1000).connect(file);
                Thread.sleep(50);   // a few refused attempts; not asserted on
                List<SocketChannel> accepted = new ArrayList<>();
                try {
                    for (int i = 0; i <= queued.size(); i++) {   // the queued ones, then ours
                        accepted.add(listener.accept());
                    }
                    waiting.sync();
                    assertTrue(waiting.channel().isActive());
                    waiting.channel().close().sync();
                } finally {
                    for (SocketChannel channel : accepted) {
                        channel.close();
                    }
                }
            } finally {
                queued.forEach(FileIo::close);
            }
        }
    }
}
