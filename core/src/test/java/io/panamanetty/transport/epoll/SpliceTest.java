package io.panamanetty.transport.epoll;

import io.panamanetty.bindings.NativeIoException;
import io.panamanetty.bootstrap.Bootstrap;
import io.panamanetty.bootstrap.ServerBootstrap;
import io.panamanetty.buffer.BufferStatistics;
import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelFuture;
import io.panamanetty.channel.ChannelHandlerAdapter;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.ChannelInputShutdownEvent;
import io.panamanetty.channel.ChannelOption;
import io.panamanetty.channel.EventLoop;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.testing.LeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Splice} between real loopback sockets, through {@link SpliceProxy}: data
 * intact, half-close, a peer's reset, a slow receiver, and no pipe left open.
 */
@ExtendWith(LeakCheck.class)
class SpliceTest {
    private static final int TIMEOUT_SECONDS = 60;
    private static final int MB = 1 << 20;

    /** A plain-socket upstream serving one connection with {@code work}. */
    private static final class Upstream<T> implements AutoCloseable {
        interface Work<T> {
            T serve(Socket socket) throws Exception;
        }

        final ServerSocket listener;
        final CompletableFuture<T> result = new CompletableFuture<>();
        final Thread thread;

        Upstream(int receiveBuffer, Work<T> work) throws IOException {
            listener = new ServerSocket();
            if (receiveBuffer > 0) {
                listener.setReceiveBufferSize(receiveBuffer);
            }
            listener.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            thread = Thread.ofPlatform().name("splice-upstream").start(() -> {
                try (Socket socket = listener.accept()) {
                    socket.setSoTimeout(TIMEOUT_SECONDS * 1000);
                    result.complete(work.serve(socket));
                } catch (Throwable t) {
                    result.completeExceptionally(t);
                }
            });
        }

        int port() {
            return listener.getLocalPort();
        }

        T result() throws Exception {
            return result.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }

        @Override
        public void close() throws IOException {
            listener.close();
            try {
                thread.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static Socket connect(int port) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(TIMEOUT_SECONDS * 1000);
        return socket;
    }

    /** Echoes until EOF, then half-closes; returns the byte count. */
    private static long echoUntilEof(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        OutputStream out = socket.getOutputStream();
        byte[] chunk = new byte[64 * 1024];
        long count = 0;
        for (int n; (n = in.read(chunk)) >= 0; ) {
            out.write(chunk, 0, n);
            count += n;
        }
        socket.shutdownOutput();
        return count;
    }

    /** Sends {@code total} pseudo-random bytes, then half-closes; returns their CRC. */
    private static long send(Socket socket, long total, long seed) throws IOException {
        CRC32 crc = new CRC32();
        Random random = new Random(seed);
        byte[] chunk = new byte[128 * 1024];
        OutputStream out = socket.getOutputStream();
        for (long left = total; left > 0; ) {
            int n = (int) Math.min(chunk.length, left);
            random.nextBytes(chunk);
            out.write(chunk, 0, n);
            crc.update(chunk, 0, n);
            left -= n;
        }
        socket.shutdownOutput();
        return crc.getValue();
    }

    private static CompletableFuture<Long> sendInThread(Socket socket, long total, long seed) {
        CompletableFuture<Long> sent = new CompletableFuture<>();
        Thread.ofPlatform().name("splice-sender-" + seed).start(() -> {
            try {
                sent.complete(send(socket, total, seed));
            } catch (Throwable t) {
                sent.completeExceptionally(t);
            }
        });
        return sent;
    }

    /** The number of pipes this process has open. */
    private static long openPipes() throws IOException {
        long pipes = 0;
        for (String fd : LeakCheck.openFds()) {
            try {
                if (Files.readSymbolicLink(Path.of("/proc/self/fd", fd)).toString().startsWith("pipe:")) {
                    pipes++;
                }
            } catch (IOException e) {
                // closed while we looked
            }
        }
        return pipes;
    }

    private static void awaitClosed(Channel channel) throws InterruptedException {
        assertTrue(channel.closeFuture().await(TIMEOUT_SECONDS, TimeUnit.SECONDS),
                channel + " did not close");
    }

    @Test
    void severalMegabytesArriveIntactBothWaysAfterTheQueuedBytes() throws Exception {
        long total = 24L * MB;
        byte[] prefix = "queued before splicing\n".getBytes(StandardCharsets.US_ASCII);
        long pipesBefore = openPipes();
        try (Upstream<Long> echo = new Upstream<>(0, SpliceTest::echoUntilEof);
             SpliceProxy proxy = new SpliceProxy(echo.port(), prefix, 0);
             Socket client = connect(proxy.port())) {
            CompletableFuture<Long> sent = sendInThread(client, total, 1);
            SpliceProxy.Session session = proxy.nextSession();
            InputStream in = client.getInputStream();
            assertArrayEquals(prefix, in.readNBytes(prefix.length), "the bytes written before splicing come first");
            CRC32 crc = new CRC32();
            byte[] chunk = new byte[64 * 1024];
            long count = 0;
            for (int n; (n = in.read(chunk)) >= 0; ) {
                crc.update(chunk, 0, n);
                count += n;
            }
            assertEquals(total, count, "bytes echoed back through both splices");
            assertEquals(total + prefix.length, echo.result(), "bytes the upstream received");
            assertEquals(sent.get(TIMEOUT_SECONDS, TimeUnit.SECONDS), crc.getValue(), "CRC of what was sent and echoed");

            ChannelFuture toUpstream = SpliceProxy.Session.await(session.toUpstream);
            ChannelFuture toClient = SpliceProxy.Session.await(session.toClient);
            assertTrue(toUpstream.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            assertTrue(toClient.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            assertTrue(toUpstream.isSuccess(), () -> "client -> upstream: " + toUpstream.cause());
            assertTrue(toClient.isSuccess(), () -> "upstream -> client: " + toClient.cause());
            awaitClosed(session.client);   // input and output both done: closed by the half-closure rules
            awaitClosed(session.upstream);
            assertTrue(session.pipelineReads.isEmpty(), "spliced bytes went through a pipeline: "
                    + session.pipelineReads.size() + " reads");
            assertTrue(session.exceptions.isEmpty(), () -> "exceptions: " + session.exceptions);
            assertEquals(pipesBefore, openPipes(), "pipes left open after both directions ended");
        }
    }

    @Test
    void halfCloseFromTheClientPassesThroughAndTheReplyStillComes() throws Exception {
        try (Upstream<String> upstream = new Upstream<>(0, socket -> {
                 String request = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                 socket.getOutputStream().write(("reply to " + request).getBytes(StandardCharsets.UTF_8));
                 return request;
             });
             SpliceProxy proxy = new SpliceProxy(upstream.port(), null, 0);
             Socket client = connect(proxy.port())) {
            client.getOutputStream().write("request".getBytes(StandardCharsets.UTF_8));
            client.shutdownOutput();
            SpliceProxy.Session session = proxy.nextSession();

            assertEquals("request", upstream.result(), "the upstream saw EOF only if the FIN was passed on");
            assertEquals("reply to request", new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            ChannelFuture toUpstream = SpliceProxy.Session.await(session.toUpstream);
            assertTrue(toUpstream.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            assertTrue(toUpstream.isSuccess(), () -> "client -> upstream: " + toUpstream.cause());
            assertTrue(session.clientEvents.contains(ChannelInputShutdownEvent.INSTANCE),
                    "the client side's pipeline heard of the end of its input: " + session.clientEvents);
            awaitClosed(session.client);
        }
    }

    @Test
    void aResetMidTransferClosesBothSidesAndTheLoopServesTheOthers() throws Exception {
        long healthyTotal = 8L * MB;
        try (Upstream<Long> healthyEcho = new Upstream<>(0, SpliceTest::echoUntilEof);
             SpliceProxy healthyProxy = new SpliceProxy(healthyEcho.port(), null, 0);
             Upstream<Long> sink = new Upstream<>(0, socket -> {
                 long count = 0;
                 byte[] chunk = new byte[64 * 1024];
                 try {
                     for (int n; (n = socket.getInputStream().read(chunk)) >= 0; ) {
                         count += n;
                     }
                 } catch (IOException e) {
                     // reset passed on by the proxy: fine
                 }
                 return count;
             })) {
            // The resetting connection shares the healthy one's loop: a proxy on that loop.
            try (Socket healthy = connect(healthyProxy.port())) {
                SpliceProxy.Session healthySession = healthyProxy.nextSession();
                CompletableFuture<Long> sent = sendInThread(healthy, healthyTotal, 2);
                // Meanwhile, on the same loop: a connection that resets mid-transfer.
                ChannelFuture resetSplice = spliceOnLoopOf(healthySession, sink.port(), healthyProxy);

                CRC32 crc = new CRC32();
                byte[] chunk = new byte[64 * 1024];
                long count = 0;
                for (int n; (n = healthy.getInputStream().read(chunk)) >= 0; ) {
                    crc.update(chunk, 0, n);
                    count += n;
                }
                assertTrue(resetSplice.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
                assertInstanceOf(NativeIoException.class, resetSplice.cause(), "the reset splice's failure");
                assertEquals(healthyTotal, count, "the healthy connection carried every byte");
                assertEquals(sent.get(TIMEOUT_SECONDS, TimeUnit.SECONDS), crc.getValue());
                assertTrue(healthySession.exceptions.isEmpty(), () -> "healthy: " + healthySession.exceptions);
            }
        }
    }

    /**
     * On the proxy's loop, accepts one connection from a local client that sends 2 MB
     * and resets, splices it into the sink, and returns the splice's future (after the
     * reset, its failure names splice and the errno, or the channel was closed).
     */
    private static ChannelFuture spliceOnLoopOf(SpliceProxy.Session healthy, int sinkPort, SpliceProxy proxy)
            throws Exception {
        EventLoop loop = healthy.client.eventLoop();
        CompletableFuture<ChannelFuture> splice = new CompletableFuture<>();
        List<Throwable> exceptions = new java.util.concurrent.CopyOnWriteArrayList<>();
        Channel upstream = new Bootstrap().group(loop).option(ChannelOption.AUTO_READ, false)
                .handler(() -> new ChannelHandlerAdapter() {
                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        exceptions.add(cause);
                    }
                })
                .connect("127.0.0.1", sinkPort).sync().channel();
        Channel listener = new ServerBootstrap().group(proxy.group)
                .childOption(ChannelOption.AUTO_READ, false)
                .childHandler(() -> new ChannelHandlerAdapter() {
                    @Override
                    public void channelActive(ChannelHandlerContext ctx) {
                        splice.complete(Splice.between(ctx.channel(), upstream));
                    }

                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        exceptions.add(cause);
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
        Socket resetting = connect(((InetSocketAddress) listener.localAddress()).getPort());
        try {
            ChannelFuture future = splice.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            byte[] data = new byte[256 * 1024];
            for (int i = 0; i < 8; i++) {
                resetting.getOutputStream().write(data);
            }
            resetting.setSoLinger(true, 0);   // close() sends RST
            resetting.close();
            assertTrue(future.await(TIMEOUT_SECONDS, TimeUnit.SECONDS), "the reset splice did not end");
            if (future.cause() instanceof NativeIoException e) {
                assertTrue(e.getMessage().startsWith("splice"), e.getMessage());
                assertTrue(e.getMessage().contains("ECONNRESET (Connection reset by peer)"), e.getMessage());
                assertTrue(exceptions.contains(e), "fired to exceptionCaught: " + exceptions);
            }
            awaitClosed(upstream);   // a failed splice closes both sides
            return future;
        } finally {
            resetting.close();
            listener.close().sync();
            upstream.close().sync();
        }
    }

    @Test
    void aSlowReceiverStopsTheSourceBeingRead() throws Exception {
        long total = 64L * MB;
        int socketBuffer = 64 * 1024;
        AtomicLong received = new AtomicLong();
        long bytesAtStart = BufferStatistics.outstandingBytes();
        try (Upstream<Long> slow = new Upstream<>(socketBuffer, socket -> {
                 InputStream in = socket.getInputStream();
                 byte[] chunk = new byte[16 * 1024];
                 for (int n; (n = in.read(chunk)) >= 0; ) {
                     received.addAndGet(n);
                     Thread.sleep(1);   // at most ~16 MB/s: far slower than the sender
                 }
                 return received.get();
             });
             SpliceProxy proxy = new SpliceProxy(slow.port(), null, socketBuffer);
             Socket client = new Socket()) {
            client.setSendBufferSize(socketBuffer);
            client.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), proxy.port()));
            AtomicLong sentSoFar = new AtomicLong();
            CompletableFuture<Long> sent = new CompletableFuture<>();
            Thread.ofPlatform().name("splice-fast-sender").start(() -> {
                try {
                    byte[] chunk = new byte[64 * 1024];
                    OutputStream out = client.getOutputStream();
                    for (long left = total; left > 0; left -= chunk.length) {
                        out.write(chunk);
                        sentSoFar.addAndGet(chunk.length);
                    }
                    client.shutdownOutput();
                    sent.complete(total);
                } catch (Throwable t) {
                    sent.completeExceptionally(t);
                }
            });
            long maxInFlight = 0;
            long maxBuffers = 0;
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (!sent.isDone() && System.nanoTime() < deadline) {
                maxInFlight = Math.max(maxInFlight, sentSoFar.get() - received.get());
                maxBuffers = Math.max(maxBuffers, BufferStatistics.outstandingBytes() - bytesAtStart);
                Thread.sleep(1);
            }
            sent.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertEquals(total, slow.result(), "bytes the slow upstream received");
            System.out.println("splice slow receiver: at most " + maxInFlight + " bytes in flight, "
                    + maxBuffers + " bytes of buffers");
            // Socket buffers (a few hundred KiB with these settings, the kernel may double them)
            // plus one pipe: far less than the total, which the sender would otherwise push at once.
            assertTrue(maxInFlight < 4L * MB, "in flight at most " + maxInFlight + " bytes");
            assertTrue(maxBuffers < MB, "splicing used " + maxBuffers + " bytes of buffers");
        }
    }

    @Test
    void aSourceThatHangsUpWhileThePipeIsFullLosesNoByteAndNoFd() throws Exception {
        hangUpWhileThePipeIsFull(false);
    }

    @Test
    void shuttingTheLoopDownWhileASourceIsSuspendedClosesItToo() throws Exception {
        hangUpWhileThePipeIsFull(true);
    }

    private void hangUpWhileThePipeIsFull(boolean shutDownWhileSuspended) throws Exception {
        // The upstream gets the client's FIN, replies with more than the buffers hold and
        // closes: its socket at the proxy is then shut both ways (a level-triggered hang-up)
        // while the pipe waits for the slow client. The source's events are suspended then.
        // Small buffers towards the client, a large receive buffer from the upstream: the
        // upstream's FIN arrives while megabytes still wait behind the full pipe.
        int size = 8 * MB;
        byte[] reply = new byte[size];
        new Random(9).nextBytes(reply);
        int socketBuffer = 64 * 1024;
        boolean sawSuspended = false;
        long pipesBefore = openPipes();
        try (Upstream<Integer> upstream = new Upstream<>(0, socket -> {
                 int request = socket.getInputStream().readAllBytes().length;
                 socket.getOutputStream().write(reply);
                 return request;
             });
             SpliceProxy proxy = new SpliceProxy(upstream.port(), null, socketBuffer, 4 * MB);
             Socket client = new Socket()) {
            client.setReceiveBufferSize(socketBuffer);
            client.setSoTimeout(TIMEOUT_SECONDS * 1000);
            client.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), proxy.port()));
            client.getOutputStream().write(1);
            client.shutdownOutput();
            SpliceProxy.Session session = proxy.nextSession();
            session.closePartner = !shutDownWhileSuspended;   // the loop's shutdown alone must close both
            EpollSocketChannel upstreamSide = (EpollSocketChannel) session.upstream;

            InputStream in = client.getInputStream();
            CRC32 crc = new CRC32();
            byte[] chunk = new byte[16 * 1024];
            long count = 0;
            for (int n; (n = in.read(chunk)) >= 0; ) {   // slowly, and looking at the source's state
                crc.update(chunk, 0, n);
                count += n;
                sawSuspended |= onLoop(upstreamSide, () -> upstreamSide.spliceOut != null
                        && upstreamSide.spliceOut.isSourceSuspended());
                if (sawSuspended && shutDownWhileSuspended) {
                    proxy.server.close();   // the client reads no more meanwhile: the source is still suspended
                    proxy.group.close();
                    awaitClosed(session.client);
                    awaitClosed(session.upstream);
                    assertEquals(pipesBefore, openPipes(), "pipes left open after the loop shut down");
                    return;   // and the leak check finds no fd left open
                }
                Thread.sleep(1);
            }
            assertEquals(1, upstream.result(), "the request's byte count, up to the client's FIN");
            assertEquals(size, count, "bytes of the reply the client read before EOF");
            CRC32 expected = new CRC32();
            expected.update(reply);
            assertEquals(expected.getValue(), crc.getValue());
            awaitClosed(session.client);
            awaitClosed(session.upstream);
        }
        assertTrue(sawSuspended, "the hang-up never came while the pipe was full: the test missed its case");
    }

    private static boolean onLoop(Channel channel, java.util.function.BooleanSupplier question) throws Exception {
        CompletableFuture<Boolean> answer = new CompletableFuture<>();
        channel.eventLoop().execute(() -> answer.complete(question.getAsBoolean()));
        return answer.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    @Test
    void closingEitherChannelClosesThePipesAndFailsTheSplices() throws Exception {
        for (boolean closeClient : new boolean[] {true, false}) {
            long pipesBefore = openPipes();
            try (Upstream<Long> echo = new Upstream<>(0, SpliceTest::echoUntilEof);
                 SpliceProxy proxy = new SpliceProxy(echo.port(), null, 0);
                 Socket client = connect(proxy.port())) {
                SpliceProxy.Session session = proxy.nextSession();
                ChannelFuture toUpstream = SpliceProxy.Session.await(session.toUpstream);
                ChannelFuture toClient = SpliceProxy.Session.await(session.toClient);
                client.getOutputStream().write(new byte[1000]);
                assertEquals(1000, client.getInputStream().readNBytes(1000).length, "echoed through the splices");
                assertEquals(pipesBefore + 4, openPipes(), "two pipes, two fds each, while splicing");

                (closeClient ? session.client : session.upstream).close().sync();
                assertTrue(toUpstream.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
                assertTrue(toClient.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
                assertInstanceOf(ClosedChannelException.class, toUpstream.cause());
                assertInstanceOf(ClosedChannelException.class, toClient.cause());
                assertEquals(pipesBefore, openPipes(), "pipes left open after closing "
                        + (closeClient ? "the client side" : "the upstream side"));
                awaitClosed(session.client);
                awaitClosed(session.upstream);
            }
        }
    }

    @Test
    void channelsOfDifferentLoopsAreRefused() throws Exception {
        List<Channel> channels = new ArrayList<>();
        try (Upstream<Long> echoA = new Upstream<>(0, SpliceTest::echoUntilEof);
             Upstream<Long> echoB = new Upstream<>(0, SpliceTest::echoUntilEof);
             EventLoopGroup group = EpollTestTransport.INSTANCE.newGroup(2, "splice-refused")) {
            Channel a = new Bootstrap().group(group.loops().get(0)).connect("127.0.0.1", echoA.port()).sync().channel();
            Channel b = new Bootstrap().group(group.loops().get(1)).connect("127.0.0.1", echoB.port()).sync().channel();
            channels.add(a);
            channels.add(b);
            ChannelFuture refused = Splice.between(a, b);
            assertTrue(refused.isDone());
            assertInstanceOf(IllegalArgumentException.class, refused.cause());
            assertTrue(refused.cause().getMessage().contains("different event loops"), refused.cause().getMessage());
            ChannelFuture self = Splice.between(a, a);
            assertInstanceOf(IllegalArgumentException.class, self.cause());
            for (Channel channel : channels) {
                channel.close().sync();
            }
        }
    }
}
