package io.panamanetty.benchmarks;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.buffer.BufferAllocator;
import io.panamanetty.buffer.PooledBufferAllocator;
import io.panamanetty.buffer.UnpooledBufferAllocator;
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
 * The cost of allocating a buffer, writing one long into it and releasing it, on one
 * thread: the pooled allocator (its thread-cache fast path) against the unpooled one
 * ({@code malloc}/{@code free} per buffer), for 256-byte and 4-KiB buffers. Both include
 * the process-wide {@code BufferStatistics} accounting and the leak detector's sampling
 * draw (at its default level), as every buffer pays them.
 *
 * <p>Run with {@code java -cp <benchmarks classpath> io.panamanetty.benchmarks.AllocatorBenchmark},
 * or through the JMH command line ({@code org.openjdk.jmh.Main AllocatorBenchmark -prof gc}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class AllocatorBenchmark {

    @Param({"256", "4096"})
    public int size;

    @Param({"pooled", "unpooled"})
    public String allocator;

    private BufferAllocator alloc;

    @Setup(Level.Trial)
    public void setUp() {
        alloc = allocator.equals("pooled") ? new PooledBufferAllocator() : new UnpooledBufferAllocator();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (alloc instanceof PooledBufferAllocator pooled) {
            PooledBufferAllocator.releaseThreadCaches();
            pooled.trim();
        }
    }

    /** Allocate, write 8 bytes, release: the life of a short-lived buffer. */
    @Benchmark
    public long allocateWriteRelease() {
        Buffer buf = alloc.allocate(size);
        buf.writeLong(size);
        long value = buf.getLong(0);
        buf.release();
        return value;
    }

    /** Runs this benchmark with the annotations' settings. */
    public static void main(String[] args) throws RunnerException {
        new Runner(new OptionsBuilder().include(AllocatorBenchmark.class.getSimpleName()).build()).run();
    }
}
