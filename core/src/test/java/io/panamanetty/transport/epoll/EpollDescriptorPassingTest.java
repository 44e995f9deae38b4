package io.panamanetty.transport.epoll;

import io.panamanetty.bootstrap.Bootstrap;
import io.panamanetty.bootstrap.ServerBootstrap;
import io.panamanetty.buffer.Buffer;
import io.panamanetty.buffer.BufferAllocator;
import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelFuture;
import io.panamanetty.channel.ChannelHandlerAdapter;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.ChannelOption;
import io.panamanetty.channel.DescriptorsTruncatedException;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.channel.StreamChannel;
import io.panamanetty.file.FileDescriptorHandle;
import io.panamanetty.handler.EchoHandler;
import io.panamanetty.testing.LeakCheck;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.panamanetty.transport.epoll.UnixPeers.TIMEOUT_SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Descriptor passing ({@code SCM_RIGHTS}) over Unix domain stream sockets for real: a file
 * opened from a temporary file is read through on the far side, by our server and by a C
 * peer ({@code src/test/c/fd_peer.c}, built here with gcc); descriptors a handler leaves
 * alone are closed (counted in {@code /proc/self/fd}); {@code MSG_CTRUNC} from a peer passing
 * more than the channel's room; another channel's socket passed and talked over.
 */
@ExtendWith(LeakCheck.class)
class EpollDescriptorPassingTest {
    private static final String CONTENTS = "the contents of a file passed as a descriptor";
    @TempDir
    static Path bin;
    private static Path peer;

    @BeforeAll
    static void buildPeer() throws Exception {
        peer = buildPeer(bin);
    }

    /** Builds {@code src/test/c/fd_peer.c} into {@code dir} with gcc (which CI installs). */
    static Path buildPeer(Path dir) throws Exception {
        UnixPeers.requireProgram("gcc");
        Path program = dir.resolve("fd_peer");
        Process gcc = new ProcessBuilder("gcc", "-std=gnu11", "-O0", "-Wall", "-Wextra", "-Werror", "-o",
                program.toString(), Path.of("src/test/c/fd_peer.c").toAbsolutePath().toString())
                .redirectErrorStream(true).start();
        String output = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(gcc.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS) && gcc.exitValue() == 0, "gcc: " + output);
        return program;
    }

    /** How many of this process's descriptors refer to {@code file} ({@code /proc/self/fd}). */
    static long openDescriptorsOf(Path file) throws IOException {
        Path real = file.toRealPath();
        try (var entries = Files.list(Path.of("/proc/self/fd"))) {
            return entries.filter(entry -> {
                try {
                    return Files.readSymbolicLink(entry).equals(real);
                } catch (IOException closedMeanwhile) {
                    return false;
                }
            }).count();
        }
    }

    /** Waits (bounded) for the descriptors of {@code file} to be gone; returns how many are left. */
    static long settle(Path file) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        long open = openDescriptorsOf(file);
        while (open > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
            open = openDescriptorsOf(file);
        }
        return open;
    }

    private static String contentsOf(FileDescriptorHandle handle, BufferAllocator allocator) throws IOException {
        Buffer buffer = allocator.allocate(4096);
        try {
            while (handle.read(buffer) > 0) {
                // until the end of the file
            }
            return buffer.toString(StandardCharsets.UTF_8);
        } finally {
            buffer.release();
        }
    }

    /** A server handler noting the bytes and descriptors it reads, in order. */
    private static class Recorder extends ChannelHandlerAdapter {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final List<String> events = new CopyOnWriteArrayList<>();
        final CompletableFuture<Throwable> failure = new CompletableFuture<>();
        final CompletableFuture<Void> closed = new CompletableFuture<>();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) throws Exception {
            if (message instanceof FileDescriptorHandle handle) {
                descriptor(ctx, handle);
                return;
            }
            Buffer buffer = (Buffer) message;
            synchronized (bytes) {
                events.add("bytes " + buffer.readableBytes());
                byte[] chunk = new byte[buffer.readableBytes()];
                buffer.readBytes(chunk);
                bytes.writeBytes(chunk);
            }
            buffer.release();
        }

        /** By default, reads the file through the descriptor, sends its contents back and closes it. */
        void descriptor(ChannelHandlerContext ctx, FileDescriptorHandle handle) throws Exception {
            synchronized (bytes) {
                events.add("descriptor after " + bytes.size() + " bytes");
            }
            try (handle) {
                ctx.writeAndFlush(contentsOf(handle, ctx.alloc()).getBytes(StandardCharsets.UTF_8));
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            events.add("exception " + cause.getClass().getSimpleName());
            failure.complete(cause);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            closed.complete(null);
        }

        String text() {
            synchronized (bytes) {
                return bytes.toString(StandardCharsets.ISO_8859_1);
            }
        }
    }

    private static Channel server(EventLoopGroup group, Path socket, int room, Recorder recorder) throws Exception {
        return new ServerBootstrap().group(group).childOption(ChannelOption.UNIX_RECEIVE_DESCRIPTORS, room)
                .childHandler(() -> recorder).bind(socket).sync().channel();
    }

    @Test
    void aFileOurClientPassesIsReadByOurServerInOrderWithTheBytes(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("passed.txt"), CONTENTS);
        Path socket = dir.resolve("fd.sock");
        try (EventLoopGroup group = new EventLoopGroup(2, "fd-pass")) {
            Recorder recorder = new Recorder();
            Channel server = server(group, socket, 4, recorder);
            UnixPeers.Collector collector = new UnixPeers.Collector();
            Channel client = new Bootstrap().group(group).option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                    .handler(() -> collector).connect(socket).sync().channel();
            client.write("before".getBytes(StandardCharsets.US_ASCII));
            ChannelFuture passed = client.write(FileDescriptorHandle.open(file));
            client.writeAndFlush("after".getBytes(StandardCharsets.US_ASCII));
            passed.sync();
            ((StreamChannel) client).shutdownOutput().sync();

            assertEquals(CONTENTS, new String(collector.await(), StandardCharsets.UTF_8), "read through the descriptor");
            recorder.closed.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertEquals("before\0after", recorder.text(), "the descriptor's NUL byte in its place");
            String seen = recorder.events.stream().filter(e -> e.startsWith("descriptor")).findFirst().orElseThrow();
            int at = Integer.parseInt(seen.replaceAll("\\D", ""));
            assertTrue(at <= "before".length(), "the descriptor comes before its NUL byte: " + recorder.events);
            assertEquals(0, settle(file), "no descriptor of the file left open");
            server.close().sync();
        }
    }

    @Test
    void descriptorsAHandlerLeavesAloneAreClosedByTheFramework(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("ignored.txt"), CONTENTS);
        Path socket = dir.resolve("ignore.sock");
        List<Long> openAtEachCallback = new CopyOnWriteArrayList<>();
        Recorder recorder = new Recorder() {
            @Override
            void descriptor(ChannelHandlerContext ctx, FileDescriptorHandle handle) throws IOException {
                openAtEachCallback.add(openDescriptorsOf(file));   // neither closed, passed on nor retained
            }
        };
        try (EventLoopGroup group = new EventLoopGroup(1, "fd-ignore")) {
            Channel server = server(group, socket, 4, recorder);
            Process sender = new ProcessBuilder(peer.toString(), "send", socket.toString(), file.toString(), "3")
                    .redirectErrorStream(true).start();
            assertTrue(sender.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS), "the C peer ended");
            assertEquals(0, sender.exitValue(), new String(sender.getInputStream().readAllBytes()));
            recorder.closed.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertEquals("Xafter", recorder.text());
            assertEquals(List.of(3L, 2L, 1L), openAtEachCallback, "each is closed as its callback returns");
            assertEquals(0, settle(file));
            server.close().sync();
        }
    }

    @Test
    void moreDescriptorsThanTheRoomAreReportedAndNoneIsLeftOpen(@TempDir Path dir) throws Exception {
        assertTruncated(dir, 2, 5);
        // An odd room is exact too: the control length given is CMSG_LEN(4n), not CMSG_SPACE(4n),
        // whose padding held one descriptor more (two passed into room for one arrived whole).
        assertTruncated(dir, 1, 2);
    }

    private void assertTruncated(Path dir, int room, int sent) throws Exception {
        Path file = Files.writeString(dir.resolve("many-" + room + ".txt"), CONTENTS);
        Path socket = dir.resolve("ctrunc-" + room + ".sock");
        Recorder recorder = new Recorder();
        try (EventLoopGroup group = new EventLoopGroup(1, "fd-ctrunc")) {
            Channel server = server(group, socket, room, recorder);
            Process sender = new ProcessBuilder(peer.toString(), "send", socket.toString(), file.toString(),
                    String.valueOf(sent)).redirectErrorStream(true).start();
            assertTrue(sender.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS), "the C peer ended");
            assertEquals(0, sender.exitValue());
            DescriptorsTruncatedException truncated = assertInstanceOf(DescriptorsTruncatedException.class,
                    recorder.failure.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            assertEquals(room, truncated.arrived());
            assertEquals(room, truncated.room());
            assertTrue(truncated.getMessage().contains("MSG_CTRUNC"), truncated.getMessage());
            recorder.closed.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertEquals("Xafter", recorder.text(), "the bytes still arrive, the channel stayed open");
            assertTrue(recorder.events.stream().noneMatch(e -> e.startsWith("descriptor")), recorder.events.toString());
            assertEquals(0, settle(file));
            server.close().sync();
        }
    }

    @Test
    void aCPeerReadsTheFileOurClientPasses(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("to-c.txt"), CONTENTS);
        Path socket = dir.resolve("c.sock");
        Path log = dir.resolve("peer.log");
        Process receiver = new ProcessBuilder(peer.toString(), "recv", socket.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try (EventLoopGroup group = new EventLoopGroup(1, "fd-to-c")) {
            UnixPeers.waitForLine(log, "listening", receiver);
            UnixPeers.Collector collector = new UnixPeers.Collector();
            Channel client = new Bootstrap().group(group).handler(() -> collector).connect(socket).sync().channel();
            client.writeAndFlush(FileDescriptorHandle.open(file)).sync();
            assertEquals(CONTENTS, new String(collector.await(), StandardCharsets.UTF_8));
            assertTrue(receiver.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            assertEquals(0, receiver.exitValue(), Files.readString(log));
            client.closeFuture().sync();
            assertEquals(0, settle(file));
        } finally {
            UnixPeers.stop(receiver);
        }
    }

    @Test
    void anotherChannelsSocketIsPassedAndTalkedOver(@TempDir Path dir) throws Exception {
        Path socket = dir.resolve("socket-pass.sock");
        CompletableFuture<FileDescriptorHandle> received = new CompletableFuture<>();
        Recorder recorder = new Recorder() {
            @Override
            void descriptor(ChannelHandlerContext ctx, FileDescriptorHandle handle) {
                received.complete(handle.retain());   // kept past the callback: ours to close
            }
        };
        try (EventLoopGroup group = new EventLoopGroup(2, "fd-socket")) {
            Channel echo = new ServerBootstrap().group(group).childHandler(EchoHandler::new)
                    .bind("127.0.0.1", 0).sync().channel();
            int port = ((java.net.InetSocketAddress) echo.localAddress()).getPort();
            Channel tcp = new Bootstrap().group(group).option(ChannelOption.AUTO_READ, false)
                    .handler(() -> new ChannelHandlerAdapter() { }).connect("127.0.0.1", port).sync().channel();
            Channel server = server(group, socket, 1, recorder);
            Channel client = new Bootstrap().group(group).connect(socket).sync().channel();

            FileDescriptorHandle copy = EpollDescriptors.socketOf(tcp);
            Throwable overTcp = tcp.writeAndFlush(copy.retain()).await().cause();
            assertInstanceOf(IllegalArgumentException.class, overTcp, "descriptors pass over Unix sockets only");
            assertEquals(1, copy.refCnt(), "the refused write released its reference");
            client.writeAndFlush(copy).sync();
            assertEquals(0, copy.refCnt(), "sent: our copy is closed");

            try (FileDescriptorHandle passed = received.get(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                Buffer ping = BufferAllocator.defaultAllocator().allocate(64);
                Buffer pong = BufferAllocator.defaultAllocator().allocate(64);
                try {
                    ping.writeBytes("ping over a passed socket".getBytes(StandardCharsets.US_ASCII));
                    int length = ping.readableBytes();
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
                    while ((ping.readableBytes() > 0 || pong.readableBytes() < length) && System.nanoTime() < deadline) {
                        passed.write(ping);   // the socket is non-blocking: 0 means try again
                        if (passed.read(pong) <= 0) {
                            Thread.sleep(5);
                        }
                    }
                    assertEquals("ping over a passed socket", pong.toString(StandardCharsets.US_ASCII),
                            "the echo server answered over the passed socket");
                } finally {
                    ping.release();
                    pong.release();
                }
            }
            tcp.close().sync();
            client.close().sync();
            server.close().sync();
            echo.close().sync();
        }
    }

    @Test
    void aPassedConnectionIsAdoptedAsAChannelOfTheReceiver(@TempDir Path dir) throws Exception {
        Path socket = dir.resolve("adopt.sock");
        try (EventLoopGroup group = new EventLoopGroup(2, "fd-adopt")) {
            UnixPeers.Collector echoed = new UnixPeers.Collector();
            CompletableFuture<Channel> adopted = new CompletableFuture<>();
            Recorder recorder = new Recorder() {
                @Override
                void descriptor(ChannelHandlerContext ctx, FileDescriptorHandle handle) {
                    new Bootstrap().group(group).handler(() -> echoed).adopt(handle)   // takes the handle over
                            .addListener(f -> {
                                if (f.isSuccess()) {
                                    adopted.complete(f.channel());
                                } else {
                                    adopted.completeExceptionally(f.cause());
                                }
                            });
                }
            };
            Channel echo = new ServerBootstrap().group(group).childHandler(EchoHandler::new)
                    .bind("127.0.0.1", 0).sync().channel();
            Channel tcp = new Bootstrap().group(group).option(ChannelOption.AUTO_READ, false)
                    .handler(() -> new ChannelHandlerAdapter() { })
                    .connect((java.net.InetSocketAddress) echo.localAddress()).sync().channel();
            Channel server = server(group, socket, 1, recorder);
            Channel client = new Bootstrap().group(group).connect(socket).sync().channel();
            client.writeAndFlush(EpollDescriptors.socketOf(tcp)).sync();

            Channel channel = adopted.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertEquals(tcp.localAddress(), channel.localAddress(), "the same connection");
            assertEquals(echo.localAddress(), channel.remoteAddress());
            tcp.close().sync();   // our copy goes; the adopted one keeps the connection
            channel.writeAndFlush("through the adopted channel".getBytes(StandardCharsets.US_ASCII));
            ((StreamChannel) channel).shutdownOutput().sync();
            assertEquals("through the adopted channel", new String(echoed.await(), StandardCharsets.US_ASCII));

            Throwable notASocket = new Bootstrap().group(group)
                    .adopt(FileDescriptorHandle.open(Files.writeString(dir.resolve("f"), "x"))).await().cause();
            assertTrue(notASocket != null && notASocket.getMessage().contains("ENOTSOCK"), String.valueOf(notASocket));
            client.close().sync();
            server.close().sync();
            echo.close().sync();
        }
    }

    @Test
    void aDescriptorBehindAFullSocketWaitsItsTurnAndLeavesInOrder(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("queued.txt"), CONTENTS);
        Path socket = dir.resolve("full.sock");
        int half = 1 << 20;   // far more than the socket buffers hold
        CompletableFuture<Channel> child = new CompletableFuture<>();
        Recorder recorder = new Recorder() {
            @Override
            public void channelActive(ChannelHandlerContext ctx) {
                child.complete(ctx.channel());
            }
        };
        try (EventLoopGroup group = new EventLoopGroup(2, "fd-full")) {
            Channel server = new ServerBootstrap().group(group).childOption(ChannelOption.UNIX_RECEIVE_DESCRIPTORS, 1)
                    .childOption(ChannelOption.AUTO_READ, false).childHandler(() -> recorder).bind(socket).sync().channel();
            UnixPeers.Collector collector = new UnixPeers.Collector();
            Channel client = new Bootstrap().group(group).option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                    .handler(() -> collector).connect(socket).sync().channel();
            Channel accepted = child.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            client.write("a".repeat(half).getBytes(StandardCharsets.US_ASCII));
            ChannelFuture passed = client.write(FileDescriptorHandle.open(file));
            ChannelFuture after = client.writeAndFlush("b".repeat(half).getBytes(StandardCharsets.US_ASCII));
            assertTrue(client.eventLoop().submit(() -> !passed.isDone()).get(TIMEOUT_SECONDS, TimeUnit.SECONDS),
                    "nothing reads yet: the descriptor waits behind the first megabyte");
            assertEquals(1, openDescriptorsOf(file), "held by the queued write");

            accepted.config().setAutoRead(true);
            passed.sync();
            after.sync();
            ((StreamChannel) client).shutdownOutput().sync();
            assertEquals(CONTENTS, new String(collector.await(), StandardCharsets.UTF_8));
            recorder.closed.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertEquals("a".repeat(half) + "\0" + "b".repeat(half), recorder.text(), "the NUL byte in its place");
            String seen = recorder.events.stream().filter(e -> e.startsWith("descriptor")).findFirst().orElseThrow();
            int at = Integer.parseInt(seen.replaceAll("\\D", ""));
            assertTrue(at <= half && at >= half - AdaptiveReadSize.MAX, "fired with the read its NUL byte ends: " + at);
            assertEquals(0, settle(file));
            server.close().sync();
        }
    }

    @Test
    void thousandsOfDescriptorsPassWithRoomForOneEachAndNoneIsLeftOpen(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("many.txt"), "M");
        Path socket = dir.resolve("many.sock");
        int count = 2000;
        java.util.concurrent.atomic.AtomicInteger readThrough = new java.util.concurrent.atomic.AtomicInteger();
        Recorder recorder = new Recorder() {
            @Override
            void descriptor(ChannelHandlerContext ctx, FileDescriptorHandle handle) throws IOException {
                if (contentsOf(handle, ctx.alloc()).equals("M")) {
                    readThrough.incrementAndGet();
                }
                handle.close();
            }
        };
        try (EventLoopGroup group = new EventLoopGroup(2, "fd-many")) {
            Channel server = server(group, socket, 1, recorder);   // one message carries one: room for one is enough
            UnixPeers.Collector collector = new UnixPeers.Collector();
            Channel client = new Bootstrap().group(group).option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                    .handler(() -> collector).connect(socket).sync().channel();
            long start = System.nanoTime();
            ChannelFuture last = null;
            for (int i = 0; i < count; i++) {
                client.write(FileDescriptorHandle.open(file));
                last = client.write("#".getBytes(StandardCharsets.US_ASCII));
            }
            client.flush();
            last.sync();
            ((StreamChannel) client).shutdownOutput().sync();
            recorder.closed.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            long micros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start);
            System.out.printf("descriptor passing: %d descriptors (open, sendmsg, recvmsg, read, close) in %d ms,"
                    + " %.1f us each%n", count, micros / 1000, (double) micros / count);
            assertEquals(count, readThrough.get(), "every descriptor read through on the far side");
            assertEquals("\0#".repeat(count), recorder.text());
            assertEquals(0, settle(file));
            client.closeFuture().sync();
            server.close().sync();
        }
    }
}
