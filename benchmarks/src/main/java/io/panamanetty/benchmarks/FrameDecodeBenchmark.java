package io.panamanetty.benchmarks;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.buffer.BufferAllocator;
import io.panamanetty.channel.ChannelHandler;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.embedded.EmbeddedChannel;
import io.panamanetty.codec.LengthFieldFrameDecoder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.util.concurrent.TimeUnit;

/**
 * Decoding length-prefixed frames: {@code frames} frames of {@code frameSize} payload bytes,
 * each behind a 4-byte length field, arrive as reads of {@code chunkSize} bytes (cut across
 * frame boundaries, as a socket would) and go through a {@link LengthFieldFrameDecoder} in
 * an {@link EmbeddedChannel} to a handler that only counts them. One operation is the whole
 * stream, fired on the channel's loop in one task, so the cross-thread hand-off of the
 * embedded channel is paid once per stream, not per read.
 *
 * <p>Run with {@code java -cp <benchmarks classpath> io.panamanetty.benchmarks.FrameDecodeBenchmark};
 * add {@code -prof gc} through the JMH command line to see allocation per stream.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class FrameDecodeBenchmark {

    @Param("1000")
    public int frames;

    @Param({"64", "1024"})
    public int frameSize;

    @Param("4096")
    public int chunkSize;

    private Buffer stream;
    private EmbeddedChannel channel;
    private final int[] decoded = new int[1];

    /** Counts the frames; the framework releases each one when this returns. */
    private final class Counter implements ChannelHandler {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            decoded[0]++;
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        stream = BufferAllocator.defaultAllocator().allocate(frames * (4 + frameSize));
        for (int f = 0; f < frames; f++) {
            stream.writeInt(frameSize);
            for (int i = 0; i < frameSize; i++) {
                stream.writeByte(f + i);
            }
        }
        channel = new EmbeddedChannel(new LengthFieldFrameDecoder(4 + frameSize, 0, 4, 0, 4), new Counter());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        channel.finish();
        stream.release();
    }

    @Benchmark
    public int decodeStream() {
        return channel.runOnLoop(() -> {
            decoded[0] = 0;
            int length = stream.readableBytes();
            for (int offset = 0; offset < length; offset += chunkSize) {
                // a view holding its own reference, as a socket read would hand over a buffer
                channel.pipeline().fireChannelRead(stream.retainedSlice(offset, Math.min(chunkSize, length - offset)));
            }
            if (decoded[0] != frames) {
                throw new IllegalStateException("decoded " + decoded[0] + " frames, expected " + frames);
            }
            return decoded[0];
        });
    }

    public static void main(String[] args) throws RunnerException {
        new Runner(new OptionsBuilder().include(FrameDecodeBenchmark.class.getName()).build()).run();
    }
}
