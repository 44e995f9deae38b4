package io.panamanetty.benchmarks;

import java.net.InetSocketAddress;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.bootstrap.Bootstrap;
import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelHandlerAdapter;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.channel.IoHandlerFactory;
import io.panamanetty.bootstrap.ServerBootstrap;
import io.panamanetty.transport.epoll.EpollIoHandlerFactory;
import io.panamanetty.transport.uring.IoUringIoHandlerFactory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The write path per message: {@value #BATCH} writes of a small message on the channel's
 * loop (copied into a pooled buffer, queued with the void promise), then one flush that
 * sends them in gathering {@code writev}s to a loopback peer that discards them. Both
 * ends' loops run on {@code transport}: epoll (the flush calls {@code writev} itself) or
 * io_uring (the flush queues a {@code WRITEV} SQE, submitted as the loop turn ends).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class WritePathBenchmark {
    static final int BATCH = 1000;

    @Param({"64", "1024"})
    public int size;

    @Param({"epoll", "io_uring"})
    public String transport;

    private EventLoopGroup group;
    private Channel client;
    private byte[] message;

    /** Releases what it reads, as fast as it can. */
    static final class Discard extends ChannelHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            ((Buffer) message).release();
        }
    }

    @Setup
    public void setUp() throws InterruptedException {
        IoHandlerFactory loops = switch (transport) {
            case "epoll" -> new EpollIoHandlerFactory();
            case "io_uring" -> new IoUringIoHandlerFactory();
            default -> throw new IllegalArgumentException("transport: " + transport + " (expected: epoll or io_uring)");
        };
        group = new EventLoopGroup(2, "write-path", loops);
        Channel server = new ServerBootstrap().group(group).childHandler(Discard::new)
                .bind("127.0.0.1", 0).sync().channel();
        client = new Bootstrap().group(group).handler(Discard::new)
                .connect("127.0.0.1", ((InetSocketAddress) server.localAddress()).getPort()).sync().channel();
        message = new byte[size];
    }

    @TearDown
    public void tearDown() {
        group.close();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void writeThenFlushOnTheLoop() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        client.eventLoop().execute(() -> {
            var ctx = client.pipeline().context("handler");
            for (int i = 0; i < BATCH; i++) {
                ctx.write(message, ctx.voidPromise());
            }
            ctx.flush();
            done.complete(null);
        });
        done.join();
        while (!client.isWritable()) {   // let the peer drain: measure writing, not a full socket
            Thread.onSpinWait();
        }
    }
}
