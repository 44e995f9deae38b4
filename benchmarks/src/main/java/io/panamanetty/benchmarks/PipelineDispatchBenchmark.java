package io.panamanetty.benchmarks;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.channel.ChannelHandler;
import io.panamanetty.channel.ChannelHandlerAdapter;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.embedded.EmbeddedChannel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The cost of passing one message through a pipeline of four pass-through handlers to
 * a sink, on the channel's event loop: a plain object, and a {@link Buffer} (with the
 * ownership bookkeeping per callback). Each invocation dispatches {@value #BATCH}
 * messages in one loop task, so the hand-off to the loop is amortized away.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class PipelineDispatchBenchmark {
    static final int BATCH = 100_000;
    private static final Object MESSAGE = "message";

    private EmbeddedChannel channel;
    private Buffer buffer;

    /** Passes everything on. */
    @ChannelHandler.Sharable
    static final class PassThrough extends ChannelHandlerAdapter {
    }

    /** Consumes messages (the framework releases buffers it neither passed on nor released). */
    @ChannelHandler.Sharable
    static final class Sink extends ChannelHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
        }
    }

    @Setup
    public void setUp() {
        PassThrough pass = new PassThrough();
        channel = new EmbeddedChannel(pass, new PassThrough(), new PassThrough(), new PassThrough(), new Sink());
        buffer = channel.alloc().copyOf("payload", StandardCharsets.US_ASCII);
    }

    @TearDown
    public void tearDown() {
        buffer.release();
        channel.finish();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void objectThroughFiveHandlers() {
        channel.runOnLoop(() -> {
            for (int i = 0; i < BATCH; i++) {
                channel.pipeline().fireChannelRead(MESSAGE);
            }
            return null;
        });
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void bufferThroughFiveHandlers() {
        channel.runOnLoop(() -> {
            buffer.retain(BATCH);   // the sink's callback reference is dropped once per message
            for (int i = 0; i < BATCH; i++) {
                channel.pipeline().fireChannelRead(buffer);
            }
            return null;
        });
    }
}
