package io.panamanetty.transport.epoll;

import io.panamanetty.bootstrap.Bootstrap;
import io.panamanetty.bootstrap.ServerBootstrap;
import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelOption;
import io.panamanetty.channel.DomainSocketAddress;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.channel.StreamChannel;
import io.panamanetty.testing.LeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static io.panamanetty.transport.epoll.UnixPeers.TIMEOUT_SECONDS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Unix domain stream sockets with outside programs as the peer, both ways round: socat
 * ({@code UNIX-CONNECT}/{@code UNIX-LISTEN}, {@code ABSTRACT-CONNECT}/{@code ABSTRACT-LISTEN})
 * and OpenBSD {@code nc -U}, each byte checked, half-closes passed through. Both programs are
 * installed by {@code .ci/run}; missing, the test fails under {@code CI=true}.
 */
@ExtendWith(LeakCheck.class)
class EpollUnixPeersTest {

    private static byte[] payload(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** Runs {@code command} with {@code input} on its stdin; returns its stdout once it exits. */
    private static byte[] runClient(Path dir, byte[] input, List<String> command) throws Exception {
        Path in = Files.write(dir.resolve("client.in"), input);
        Path out = dir.resolve("client.out");
        Path log = dir.resolve("client.log");
        Process peer = new ProcessBuilder(command).redirectInput(in.toFile()).redirectOutput(out.toFile())
                .redirectError(log.toFile()).start();
        try {
            assertTrue(peer.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS), command + " did not finish");
            assertEquals(0, peer.exitValue(), command + ": " + Files.readString(log));
            return Files.readAllBytes(out);
        } finally {
            UnixPeers.stop(peer);
        }
    }

    /** Our client sends {@code payload}, half-closes, and returns what it read until the peer closed. */
    private static byte[] talkTo(EventLoopGroup group, SocketAddress address, byte[] payload) throws Exception {
        UnixPeers.Collector collector = new UnixPeers.Collector();
        StreamChannel client = (StreamChannel) new Bootstrap().group(group).handler(() -> collector)
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true).connect(address).sync().channel();
        client.writeAndFlush(payload.clone());
        client.shutdownOutput().sync();
        byte[] read = collector.await();
        client.closeFuture().sync();
        return read;
    }

    @Test
    void socatClientGetsItsBytesBackFromOurServer(@TempDir Path dir) throws Exception {
        UnixPeers.requireProgram("socat");
        Path file = dir.resolve("echo.sock");
        try (EventLoopGroup group = new EventLoopGroup(2, "unix-socat-client")) {
            Channel server = new ServerBootstrap().group(group).bind(file).sync().channel();
            byte[] payload = payload(2_000_000, 11);
            assertArrayEquals(payload, runClient(dir, payload, List.of("socat", "-t", "30", "-", "UNIX-CONNECT:" + file)));
            server.close().sync();
        }
    }

    @Test
    void ncClientGetsItsBytesBackFromOurServer(@TempDir Path dir) throws Exception {
        UnixPeers.requireProgram("nc");
        Path file = dir.resolve("nc.sock");
        try (EventLoopGroup group = new EventLoopGroup(2, "unix-nc-client")) {
            Channel server = new ServerBootstrap().group(group).bind(file).sync().channel();
            byte[] payload = payload(300_000, 12);
            assertArrayEquals(payload, runClient(dir, payload, List.of("nc", "-N", "-U", file.toString())));
            server.close().sync();
        }
    }

    @Test
    void ourClientGetsItsBytesBackFromASocatServer(@TempDir Path dir) throws Exception {
        UnixPeers.requireProgram("socat");
        Path file = dir.resolve("socat.sock");
        Path log = dir.resolve("socat.log");
        Process socat = new ProcessBuilder("socat", "-t", "30", "UNIX-LISTEN:" + file, "PIPE")
                .redirectError(log.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try (EventLoopGroup group = new EventLoopGroup(1, "unix-socat-server")) {
            UnixPeers.waitForFile(file, socat, log);
            byte[] payload = payload(50_000, 13);   // socat's PIPE holds 64 KiB: no reading while writing
            assertArrayEquals(payload, talkTo(group, DomainSocketAddress.of(file), payload));
            assertTrue(socat.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS), "socat ends with the connection");
        } finally {
            UnixPeers.stop(socat);
        }
    }

    @Test
    void ourClientAndAnNcServerTalkBothWays(@TempDir Path dir) throws Exception {
        UnixPeers.requireProgram("nc");
        Path file = dir.resolve("nc-server.sock");
        Path in = Files.write(dir.resolve("nc.in"), "from nc\n".getBytes(StandardCharsets.US_ASCII));
        Path out = dir.resolve("nc.out");
        Path log = dir.resolve("nc.log");
        Process nc = new ProcessBuilder("nc", "-N", "-lU", file.toString()).redirectInput(in.toFile())
                .redirectOutput(out.toFile()).redirectError(log.toFile()).start();
        try (EventLoopGroup group = new EventLoopGroup(1, "unix-nc-server")) {
            UnixPeers.waitForFile(file, nc, log);
            byte[] read = talkTo(group, DomainSocketAddress.of(file), "from us\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals("from nc\n", new String(read, StandardCharsets.US_ASCII));
            assertTrue(nc.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS), "nc ends with the connection");
            assertEquals("from us\n", Files.readString(out), Files.readString(log));
        } finally {
            UnixPeers.stop(nc);
        }
    }

    @Test
    void abstractNamesWorkWithSocatBothWays(@TempDir Path dir) throws Exception {
        UnixPeers.requireProgram("socat");
        String name = "panama-netty-peers-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        try (EventLoopGroup group = new EventLoopGroup(2, "unix-abstract-peers")) {
            Channel server = new ServerBootstrap().group(group).bind(DomainSocketAddress.of("@" + name))
                    .sync().channel();
            byte[] payload = payload(500_000, 14);
            assertArrayEquals(payload, runClient(dir, payload,
                    List.of("socat", "-t", "30", "-", "ABSTRACT-CONNECT:" + name)));
            server.close().sync();

            Path log = dir.resolve("socat-abstract.log");
            Process socat = new ProcessBuilder("socat", "-d", "-d", "-t", "30", "ABSTRACT-LISTEN:" + name + "-2",
                    "PIPE").redirectError(log.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            try {
                UnixPeers.waitForLine(log, "listening on", socat);
                byte[] small = payload(30_000, 15);
                assertArrayEquals(small, talkTo(group, DomainSocketAddress.ofAbstract(name + "-2"), small));
            } finally {
                UnixPeers.stop(socat);
            }
        }
    }
}
