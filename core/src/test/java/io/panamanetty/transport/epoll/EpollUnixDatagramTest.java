package io.panamanetty.transport.epoll;

import io.panamanetty.bootstrap.Bootstrap;
import io.panamanetty.buffer.BufferAllocator;
import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelHandlerAdapter;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.DatagramChannel;
import io.panamanetty.channel.DomainDatagramChannel;
import io.panamanetty.channel.DomainDatagramPacket;
import io.panamanetty.channel.DomainSocketAddress;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.channel.StreamChannel;
import io.panamanetty.testing.LeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.channels.NotYetConnectedException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.panamanetty.transport.epoll.UnixPeers.TIMEOUT_SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Unix domain datagram sockets on the datagram bootstrap, for real: our echo server answers
 * {@code socat} and {@code nc -U -u}; our client, never bound by hand, is autobound and
 * answered by a {@code socat} echo (a socket file and an abstract name); packets between
 * our own channels keep their boundaries and senders; a send nobody receives fails only its
 * own promise; the server's socket file goes when it closes.
 */
@ExtendWith(LeakCheck.class)
class EpollUnixDatagramTest {

    /** Keeps every packet a channel receives as (sender, text). */
    private static final class Received extends ChannelHandlerAdapter {
        final LinkedBlockingQueue<String> texts = new LinkedBlockingQueue<>();
        final LinkedBlockingQueue<DomainSocketAddress> senders = new LinkedBlockingQueue<>();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            DomainDatagramPacket packet = (DomainDatagramPacket) message;
            senders.add(packet.sender());
            texts.add(packet.content().toString(StandardCharsets.UTF_8));   // released by the ownership rule
        }

        String next() throws InterruptedException {
            String text = texts.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertNotNull(text, "no datagram arrived");
            return text;
        }
    }

    private static Bootstrap datagrams(EventLoopGroup group) {
        return new Bootstrap().group(group).channel(DatagramChannel.class);
    }

    private static DomainDatagramPacket packet(String text, DomainSocketAddress to) {
        return new DomainDatagramPacket(BufferAllocator.defaultAllocator().copyOf(text, StandardCharsets.UTF_8), to);
    }

    /** Runs an outside client with {@code input} on its stdin; returns its stdout. */
    private static String run(String input, String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        process.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS), String.join(" ", command) + " did not end");
        assertEquals(0, process.exitValue(), String.join(" ", command) + " failed; printed: " + output);
        return output;
    }

    @Test
    void ourEchoServerAnswersSocatAndNetcatAndRemovesItsFile(@TempDir Path dir) throws Exception {
        UnixPeers.requireProgram("socat");
        UnixPeers.requireProgram("nc");
        Path file = dir.resolve("echo.sock");
        try (EventLoopGroup group = new EventLoopGroup(1, "unix-dgram-echo")) {
            Channel server = datagrams(group).bind(file).sync().channel();   // the default handler echoes
            DomainDatagramChannel channel = assertInstanceOf(DomainDatagramChannel.class, server);
            assertFalse(server instanceof StreamChannel, "no peer credentials on a datagram socket");
            assertEquals(DomainSocketAddress.of(file), channel.localAddress());
            assertFalse(channel.isConnected());

            assertEquals("one datagram from socat\n", run("one datagram from socat\n", "socat", "-t", "5", "-",
                    "UNIX-SENDTO:" + file + ",bind=" + dir.resolve("socat.sock")));
            assertEquals("and one from nc\n", run("and one from nc\n", "nc", "-U", "-u", "-W", "1", "-w", "10",
                    file.toString()));

            server.close().sync();
            assertFalse(Files.exists(file), "the server removed its socket file");
        }
    }

    @Test
    void anAutoboundClientIsAnsweredBySocatOnAFileAndOnAnAbstractName(@TempDir Path dir) throws Exception {
        UnixPeers.requireProgram("socat");
        Path file = dir.resolve("socat-echo.sock");
        String name = "panama-dgram-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        Path log = dir.resolve("socat.log");
        Path abstractLog = dir.resolve("socat-abstract.log");
        Process echo = new ProcessBuilder("socat", "-d", "-d", "UNIX-RECVFROM:" + file + ",fork", "EXEC:cat")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Process abstractEcho = new ProcessBuilder("socat", "-d", "-d", "ABSTRACT-RECVFROM:" + name + ",fork",
                "EXEC:cat").redirectErrorStream(true).redirectOutput(abstractLog.toFile()).start();
        try (EventLoopGroup group = new EventLoopGroup(1, "unix-dgram-client")) {
            UnixPeers.waitForFile(file, echo, log);
            UnixPeers.waitForLine(abstractLog, "receiving on", abstractEcho);
            for (DomainSocketAddress peer : new DomainSocketAddress[] {DomainSocketAddress.of(file),
                    DomainSocketAddress.of("@" + name)}) {
                Received received = new Received();
                DomainDatagramChannel client = (DomainDatagramChannel) datagrams(group).handler(() -> received)
                        .connect(peer).sync().channel();
                assertTrue(client.isConnected());
                assertEquals(peer, client.remoteAddress());
                assertTrue(client.localAddress().isAbstract(), "autobound: " + client.localAddress());
                client.writeAndFlush("ping " + peer).sync();
                assertEquals("ping " + peer, received.next());
                assertEquals(peer, received.senders.take(), "answered by the peer it is connected to");
                client.close().sync();
            }
        } finally {
            UnixPeers.stop(echo);
            UnixPeers.stop(abstractEcho);
        }
    }

    @Test
    void ourChannelsKeepBoundariesAndSendersAndAFailedSendFailsOnlyItself(@TempDir Path dir) throws Exception {
        DomainSocketAddress serverName = DomainSocketAddress.of("@panama-dgram-server-" + System.nanoTime());
        try (EventLoopGroup group = new EventLoopGroup(2, "unix-dgram-ours")) {
            Channel server = datagrams(group).bind(serverName).sync().channel();   // echo
            Received first = new Received();
            Received second = new Received();
            Path firstFile = dir.resolve("first.sock");
            DomainDatagramChannel one = (DomainDatagramChannel) datagrams(group).handler(() -> first)
                    .bind(firstFile).sync().channel();
            DomainDatagramChannel two = (DomainDatagramChannel) datagrams(group).handler(() -> second)
                    .connect(serverName).sync().channel();

            for (int i = 0; i < 50; i++) {
                one.write(packet("one:" + i, serverName));
                two.write("two:" + i);
            }
            one.flush();
            two.flush();
            for (int i = 0; i < 50; i++) {
                assertEquals("one:" + i, first.next(), "whole and in order");
                assertEquals("two:" + i, second.next());
                assertEquals(serverName, first.senders.take());
            }

            Throwable nobody = one.writeAndFlush(packet("to nobody", DomainSocketAddress.of(dir.resolve("none.sock"))))
                    .await().cause();
            assertNotNull(nobody);
            assertTrue(nobody.getMessage().contains("sendmsg") && nobody.getMessage().contains("ENOENT"),
                    nobody.getMessage());
            assertInstanceOf(NotYetConnectedException.class, one.writeAndFlush("no peer").await().cause());
            one.writeAndFlush(packet("still working", serverName)).sync();
            assertEquals("still working", first.next());

            two.disconnect().sync();
            assertFalse(two.isConnected());
            assertNull(two.remoteAddress());
            two.writeAndFlush(packet("after disconnect", serverName)).sync();
            assertEquals("after disconnect", second.next());

            one.close().sync();
            assertFalse(Files.exists(firstFile));
            two.close().sync();
            server.close().sync();
        }
    }

    @Test
    void aLiveOrStaleSocketFileIsReported(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("dgram.sock");
        int dead = io.panamanetty.bindings.UnixSockets.open(io.panamanetty.bindings.Sockets.SOCK_DGRAM);
        io.panamanetty.bindings.UnixSockets.bind(dead, file.toString().getBytes(StandardCharsets.UTF_8));
        io.panamanetty.bindings.FileIo.close(dead);   // the file stays, nothing bound to it
        try (EventLoopGroup group = new EventLoopGroup(1, "unix-dgram-stale")) {
            Throwable stale = datagrams(group).bind(file).await().cause();
            assertNotNull(stale);
            assertEquals("bind " + file + " failed: EADDRINUSE (Address already in use): a socket file nothing listens"
                    + " on (left by a server that is gone?) is there; remove it (a datagram socket never replaces it)",
                    stale.getMessage());
            assertTrue(Files.exists(file), "a stale file is never removed by a datagram bind");
            Files.delete(file);
            Channel server = datagrams(group).bind(file).sync().channel();
            Throwable live = datagrams(group).bind(file).await().cause();
            assertNotNull(live);
            assertTrue(live.getMessage().endsWith("a server is listening on it"), live.getMessage());
            Received received = new Received();
            Channel client = datagrams(group).handler(() -> received).connect(file).sync().channel();
            client.writeAndFlush("the live one answers").sync();
            assertEquals("the live one answers", received.next());
            client.close().sync();
            server.close().sync();
            assertFalse(Files.exists(file));
        }
    }

    @Test
    void sendsToAFullReceiverWaitAndAllArriveInOrder(@TempDir Path dir) throws Exception {
        int count = 3000;   // far beyond the kernel's queue of datagrams per socket (net.unix.max_dgram_qlen)
        try (EventLoopGroup group = new EventLoopGroup(2, "unix-dgram-full")) {
            Received received = new Received();
            Channel receiver = datagrams(group).option(io.panamanetty.channel.ChannelOption.AUTO_READ, false)
                    .handler(() -> received).bind(dir.resolve("slow.sock")).sync().channel();
            DomainSocketAddress to = DomainSocketAddress.of(dir.resolve("slow.sock"));
            Channel unconnected = datagrams(group).handler(() -> new ChannelHandlerAdapter() { })
                    .bind(dir.resolve("sender.sock")).sync().channel();
            Channel connected = datagrams(group).handler(() -> new ChannelHandlerAdapter() { })
                    .connect(to).sync().channel();
            io.panamanetty.channel.ChannelFuture last = null;
            for (int i = 0; i < count; i++) {
                unconnected.write(packet("u" + i, to));
                last = connected.write("c" + i);
            }
            unconnected.flush();
            connected.flush();
            assertFalse(connected.eventLoop().submit(last::isDone).get(TIMEOUT_SECONDS, TimeUnit.SECONDS),
                    "the receiver reads nothing yet: the sends wait");
            receiver.config().setAutoRead(true);
            last.sync();
            int nextU = 0;
            int nextC = 0;
            for (int i = 0; i < 2 * count; i++) {
                String text = received.next();
                if (text.startsWith("u")) {
                    assertEquals("u" + nextU++, text, "each sender's datagrams in order");
                } else {
                    assertEquals("c" + nextC++, text);
                }
            }
            assertEquals(count, nextU);
            assertEquals(count, nextC);
            connected.close().sync();
            unconnected.close().sync();
            receiver.close().sync();
        }
    }
}
