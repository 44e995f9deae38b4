package io.panamanetty.benchmarks;

import io.panamanetty.bindings.Epoll;
import io.panamanetty.bindings.Errno;
import io.panamanetty.bindings.FileIo;
import io.panamanetty.bindings.NativeIoException;
import io.panamanetty.bindings.Sockets;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;

/**
 * The cost of the hot calls through the FFM bindings: a 64-byte {@code write} and
 * the {@code read} that takes it back over an AF_UNIX socket pair, with the
 * raw-address and the {@code MemorySegment} variants, and {@code epoll_wait} with
 * a zero timeout on an epoll instance with nothing ready.
 *
 * <p>Run with {@code java -cp <benchmarks classpath> io.panamanetty.benchmarks.HotCallBenchmark},
 * or add {@code -prof gc} through the JMH command line to see allocation per operation.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class HotCallBenchmark {
    private static final int MESSAGE = 64;
    private static final int MAX_EVENTS = 64;

    private Arena arena;
    private int writeEnd = -1;
    private int readEnd = -1;
    private int epfd = -1;

    private MemorySegment outgoing;
    private MemorySegment incoming;
    private MemorySegment events;
    private long outgoingAddress;
    private long incomingAddress;
    private long eventsAddress;

    @Setup(Level.Trial)
    public void open() throws NativeIoException {
        arena = Arena.ofShared();
        MemorySegment pair = arena.allocate(ValueLayout.JAVA_INT, 2);
        Errno.check(Sockets.socketpair(Sockets.AF_UNIX, Sockets.SOCK_STREAM | Sockets.SOCK_CLOEXEC, 0, pair),
                "socketpair");
        writeEnd = pair.get(ValueLayout.JAVA_INT, 0);
        readEnd = pair.get(ValueLayout.JAVA_INT, 4);
        epfd = Errno.check(Epoll.create(Epoll.EPOLL_CLOEXEC), "epoll_create1");

        outgoing = arena.allocate(MESSAGE, 64);
        for (int i = 0; i < MESSAGE; i++) {
            outgoing.set(ValueLayout.JAVA_BYTE, i, (byte) i);
        }
        incoming = arena.allocate(MESSAGE, 64);
        events = arena.allocate(Epoll.EPOLL_EVENT, MAX_EVENTS);
        outgoingAddress = outgoing.address();
        incomingAddress = incoming.address();
        eventsAddress = events.address();
    }

    @TearDown(Level.Trial)
    public void close() {
        for (int fd : new int[] {epfd, readEnd, writeEnd}) {
            if (fd >= 0) {
                FileIo.close(fd);
            }
        }
        epfd = readEnd = writeEnd = -1;
        arena.close();
    }

    /** 64 bytes written and read back through the raw-address variants. */
    @Benchmark
    public long writeReadRawAddress() {
        long written = FileIo.write(writeEnd, outgoingAddress, MESSAGE);
        long read = FileIo.read(readEnd, incomingAddress, MESSAGE);
        return check(written, read);
    }

    /** 64 bytes written and read back through the {@code MemorySegment} variants. */
    @Benchmark
    public long writeReadSegment() {
        long written = FileIo.write(writeEnd, outgoing);
        long read = FileIo.read(readEnd, incoming);
        return check(written, read);
    }

    /** {@code epoll_wait} with timeout 0 on an idle epoll instance, raw address. */
    @Benchmark
    public int epollWaitRawAddress() {
        return Epoll.wait(epfd, eventsAddress, MAX_EVENTS, 0);
    }

    /** {@code epoll_wait} with timeout 0 on an idle epoll instance, {@code MemorySegment}. */
    @Benchmark
    public int epollWaitSegment() {
        return Epoll.wait(epfd, events, MAX_EVENTS, 0);
    }

    /** Fails loudly rather than measure something else if a call did not move all 64 bytes. */
    private static long check(long written, long read) {
        if (written != MESSAGE || read != MESSAGE) {
            throw new IllegalStateException("write returned " + written + ", read returned " + read);
        }
        return written + read;
    }

    public static void main(String[] args) throws RunnerException {
        new Runner(new OptionsBuilder().include(HotCallBenchmark.class.getName()).build()).run();
    }
}
