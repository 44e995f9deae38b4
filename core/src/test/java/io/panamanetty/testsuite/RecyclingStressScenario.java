package io.panamanetty.testsuite;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.buffer.BufferAllocator;
import io.panamanetty.buffer.BufferStatistics;
import io.panamanetty.buffer.PooledBufferAllocator;
import io.panamanetty.channel.Channel;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.channel.JulCapture;
import io.panamanetty.testing.LeakCheck;
import io.panamanetty.codec.LengthFieldFrameDecoder;
import io.panamanetty.codec.LengthFieldPrepender;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Stresses the pooled allocator's recycling of freed root {@link Buffer} objects under real
 * concurrency: buffers are allocated on one event loop and released (and so recycled) on
 * the other, handlers release their input and get the very same object back from their
 * next allocation, keep references across callbacks, split, slice, duplicate, copy, and
 * write through the length-field codecs; every byte is checked at the far end, and every
 * buffer must come back.
 *
 * <p>The setup: {@link #PAIRS} pairs of plain {@link Socket} clients connect to one server
 * whose two worker loops alternate between accepted channels; the two channels of a pair
 * sit on different loops, and each channel's {@link RecyclingRelay} writes what it reads to the
 * other (its <em>partner</em>). So client A's bytes reach client B and B's reach A, each
 * stream crossing from one loop to the other. Half of the pairs carry raw random bytes, the
 * other half length-prefixed frames (decoded by {@link LengthFieldFrameDecoder}, encoded again
 * by {@link LengthFieldPrepender}, so the frames arrive byte-for-byte as sent). For every
 * buffer it reads, a relay picks one {@link RecyclingRelay.Mode} at random.
 *
 * <p>Runs with recycling on (the default) and off ({@code -Dio.panamanetty.allocator.recycle=false}).
 * The seed is random per run, printed, and part of every failure message; set the system
 * property {@code recycling.stress.seed} to repeat one (the thread interleaving will differ).
 */
@ExtendWith(LeakCheck.class)
public abstract class RecyclingStressScenario extends TransportScenario {
    private static final int PAIRS = 12;
    private static final int MIN_STREAM_BYTES = 1024 * 1024;
    private static final int MAX_STREAM_BYTES = 2048 * 1024;
    /** Streams sent in lockstep (one chunk or frame, then wait for it to arrive) are shorter. */
    private static final int MIN_LOCKSTEP_BYTES = 128 * 1024;
    private static final int MAX_LOCKSTEP_BYTES = 256 * 1024;
    private static final int MAX_LOCKSTEP_CHUNK = 512;
    private static final int MAX_CHUNK = 64 * 1024;
    private static final int MAX_FRAME = 48 * 1024;
    private static final int TIMEOUT_SECONDS = 60;

    /** One end of a pair: the client socket, its server-side channel and relay, and the bytes it sends. */
    private static final class End {
        final String name;
        final RecyclingRelay relay;
        final byte[] sends;
        /** Where the writer stops to wait for its bytes to arrive: null for a stream written freely. */
        int[] lockstepStops;
        Socket socket;
        Channel channel;
        volatile byte[] received;
        volatile int receivedCount;

        End(String name, RecyclingRelay relay, byte[] sends) {
            this.name = name;
            this.relay = relay;
            this.sends = sends;
        }
    }

    @Test
    public void relayBetweenLoopsWithEveryOwnershipPattern() throws Exception {
        long seed = Long.getLong("recycling.stress.seed", new Random().nextLong());
        String recycling = describeRecycling();
        String context = "seed " + seed + " (rerun with -Drecycling.stress.seed=" + seed + "), " + recycling;
        System.out.println("RecyclingStressScenario: " + context);

        Queue<String> problems = new ConcurrentLinkedQueue<>();
        BlockingQueue<End> accepting = new LinkedBlockingQueue<>();
        Random setup = new Random(seed);
        List<End[]> pairs = new ArrayList<>();
        for (int p = 0; p < PAIRS; p++) {
            boolean framed = p % 2 == 1;
            boolean lockstep = p % 4 >= 2;
            End[] pair = new End[2];
            for (int side = 0; side < 2; side++) {
                String name = "pair " + p + (side == 0 ? "A" : "B") + (framed ? " (framed" : " (raw")
                        + (lockstep ? ", lockstep)" : ")");
                List<Integer> stops = new ArrayList<>();
                byte[] stream = framed ? framedStream(setup, lockstep, stops) : rawStream(setup, lockstep, stops);
                pair[side] = new End(name, new RecyclingRelay(name, framed, setup.nextLong(), problems), stream);
                if (lockstep) {
                    pair[side].lockstepStops = stops.stream().mapToInt(Integer::intValue).toArray();
                }
            }
            pairs.add(pair);
        }

        try (JulCapture log = new JulCapture();
             EventLoopGroup acceptor = transport().newGroup(1, "recycle-acceptor");
             EventLoopGroup workers = transport().newGroup(2, "recycle-worker")) {
            Channel server = transport().serverBootstrap().group(acceptor, workers).childInitializer(ch -> {
                End end = accepting.poll();
                if (end == null) {
                    problems.add("an unexpected connection was accepted: " + ch);
                    ch.close();
                    return;
                }
                if (end.relay.framed) {
                    ch.pipeline().addLast("frames", new LengthFieldFrameDecoder(MAX_FRAME + 4, 0, 4, 0, 4));
                    ch.pipeline().addLast("prepender", new LengthFieldPrepender(4));
                }
                ch.pipeline().addLast("relay", end.relay);
            }).bind("127.0.0.1", 0).sync().channel();
            int port = ((InetSocketAddress) server.localAddress()).getPort();
            long buffersBefore = handlersBuffers();
            long pooledBefore = pooledInUse();

            List<Thread> threads = new ArrayList<>();
            try {
                // One connection at a time, so that the initializer hands each its own relay,
                // and the worker loops alternate: the two ends of a pair are on different loops.
                for (End[] pair : pairs) {
                    for (End end : pair) {
                        accepting.add(end);
                        end.socket = new Socket();
                        end.socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_SECONDS * 1000);
                        end.socket.setSoTimeout(TIMEOUT_SECONDS * 1000);
                        end.socket.setTcpNoDelay(true);
                        end.channel = end.relay.active.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    }
                    assertNotSame(pair[0].channel.eventLoop(), pair[1].channel.eventLoop(),
                            "setup: the two ends of " + pair[0].name + " must be on different loops; " + context);
                    pair[0].relay.partner = pair[1].channel;
                    pair[1].relay.partner = pair[0].channel;
                }

                long chunkSeeds = setup.nextLong();
                int index = 0;
                for (End[] pair : pairs) {
                    for (int side = 0; side < 2; side++) {
                        End end = pair[side];
                        End peer = pair[1 - side];
                        Random chunks = new Random(chunkSeeds + index++);
                        threads.add(Thread.ofPlatform().name("recycle-writer-" + end.name).start(() -> {
                            try {
                                if (end.lockstepStops != null) {
                                    writeInLockstep(end, peer, problems);
                                } else {
                                    writeInChunks(end.socket.getOutputStream(), end.sends, chunks);
                                }
                            } catch (Throwable t) {
                                problems.add(end.name + ": the client writer failed: " + stackTrace(t));
                            }
                        }));
                        threads.add(Thread.ofPlatform().name("recycle-reader-" + end.name).start(() -> {
                            byte[] got = new byte[peer.sends.length];
                            end.received = got;
                            try {
                                InputStream in = end.socket.getInputStream();
                                int count = 0;
                                while (count < got.length) {
                                    int n = in.read(got, count, got.length - count);
                                    if (n < 0) {
                                        problems.add(end.name + ": end of stream after " + count + " of "
                                                + got.length + " bytes");
                                        return;
                                    }
                                    count += n;
                                    end.receivedCount = count;
                                }
                            } catch (SocketTimeoutException e) {
                                problems.add(end.name + ": no bytes for " + TIMEOUT_SECONDS + " s after "
                                        + end.receivedCount + " of " + got.length + "; relays read "
                                        + end.relay.bytesRead.get() + " / " + peer.relay.bytesRead.get());
                            } catch (Throwable t) {
                                problems.add(end.name + ": the client reader failed: " + stackTrace(t));
                            }
                        }));
                    }
                }
                joinAll(threads, problems);
                assertTrue(problems.isEmpty(), () -> "problems (" + context + "):\n" + String.join("\n", problems));

                for (End[] pair : pairs) {
                    for (int side = 0; side < 2; side++) {
                        End end = pair[side];
                        byte[] expected = pair[1 - side].sends;
                        int mismatch = Arrays.mismatch(expected, end.received);
                        if (mismatch >= 0) {
                            fail(end.name + " received corrupted bytes from its peer: first difference at offset "
                                    + mismatch + " of " + expected.length + " (crc sent " + crc(expected)
                                    + ", received " + crc(end.received) + "); " + context);
                        }
                    }
                }

                // Quiesce: deferred buffers are sent, kept references checked and released;
                // the decoders, which may keep an empty cumulation for the next frame, go.
                for (End[] pair : pairs) {
                    for (End end : pair) {
                        CompletableFuture<Void> done = new CompletableFuture<>();
                        end.channel.eventLoop().execute(() -> {
                            if (end.relay.framed) {
                                end.channel.pipeline().remove("frames");
                            }
                            end.relay.finish();
                            done.complete(null);
                        });
                        done.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    }
                }
                awaitEqual(buffersBefore, this::handlersBuffers,
                        "handlersBuffers() with every connection still open", context, problems);
                awaitEqual(pooledBefore, this::pooledInUse,
                        "PooledBufferAllocator.DEFAULT buffersInUse with every connection still open", context,
                        problems);
                assertTrue(problems.isEmpty(), () -> "problems (" + context + "):\n" + String.join("\n", problems));
            } finally {
                for (End[] pair : pairs) {
                    for (End end : pair) {
                        if (end.socket != null) {
                            end.socket.close();
                        }
                    }
                }
                for (Thread thread : threads) {
                    thread.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
                }
            }
            for (End[] pair : pairs) {
                for (End end : pair) {
                    assertTrue(end.channel.closeFuture().await(TIMEOUT_SECONDS, TimeUnit.SECONDS),
                            end.name + ": the channel closed after its client did; " + context);
                }
            }
            server.close().sync();

            assertTrue(problems.isEmpty(), () -> "problems (" + context + "):\n" + String.join("\n", problems));
            String logged = log.text();
            assertFalse(logged.contains("IllegalReferenceCountException"), () -> context + "; logged:\n" + logged);
            assertFalse(logged.contains("reached the end of the pipeline"), () -> context + "; logged:\n" + logged);

            long[] modeTotals = new long[RecyclingRelay.Mode.values().length];
            long sameObject = 0;
            long rawSameObject = 0;
            for (End[] pair : pairs) {
                for (End end : pair) {
                    for (int m = 0; m < modeTotals.length; m++) {
                        modeTotals[m] += end.relay.modes.get(m);
                    }
                    sameObject += end.relay.sameObjectReplies.get();
                    if (!end.relay.framed) {
                        rawSameObject += end.relay.sameObjectReplies.get();
                    }
                }
            }
            StringBuilder summary = new StringBuilder("RecyclingStressScenario: buffers per mode");
            for (RecyclingRelay.Mode mode : RecyclingRelay.Mode.values()) {
                summary.append(' ').append(mode).append('=').append(modeTotals[mode.ordinal()]);
                assertTrue(modeTotals[mode.ordinal()] > 0, "mode " + mode + " was exercised; " + context);
            }
            summary.append("; replies that were the released input object: ").append(sameObject);
            System.out.println(summary);
            if (recycling.startsWith("recycling on")) {
                assertTrue(rawSameObject > 0, "with recycling on, a raw relay releasing its input and allocating"
                        + " got the same object back at least once; " + summary + "; " + context);
            } else {
                assertEquals(0, sameObject, "without recycling, no released object came back; " + context);
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    /** Says whether the channels' allocator recycles buffer objects, probing it on this thread. */
    private static String describeRecycling() {
        BufferAllocator alloc = BufferAllocator.defaultAllocator();
        if (!(alloc instanceof PooledBufferAllocator)) {
            return "recycling off (default allocator " + alloc.getClass().getSimpleName() + ")";
        }
        Buffer first = alloc.allocate(64);
        first.release();
        Buffer second = alloc.allocate(64);
        boolean same = first == second;
        second.release();
        return (same ? "recycling on" : "recycling off") + " (io.panamanetty.allocator.recycle="
                + System.getProperty("io.panamanetty.allocator.recycle") + ")";
    }

    private static int streamLength(Random random, boolean lockstep) {
        return lockstep ? MIN_LOCKSTEP_BYTES + random.nextInt(MAX_LOCKSTEP_BYTES - MIN_LOCKSTEP_BYTES)
                : MIN_STREAM_BYTES + random.nextInt(MAX_STREAM_BYTES - MIN_STREAM_BYTES);
    }

    /** Random bytes; for lockstep, {@code stops} gets the ends of small random chunks. */
    private static byte[] rawStream(Random random, boolean lockstep, List<Integer> stops) {
        byte[] bytes = new byte[streamLength(random, lockstep)];
        random.nextBytes(bytes);
        if (lockstep) {
            int offset = 0;
            while (offset < bytes.length) {
                offset = Math.min(bytes.length, offset + 1 + random.nextInt(MAX_LOCKSTEP_CHUNK));
                stops.add(offset);
            }
        }
        return bytes;
    }

    /**
     * Frames of a 4-byte big-endian payload length and random payload; some empty, most
     * small (all small for lockstep). {@code stops} gets the end of every frame.
     */
    private static byte[] framedStream(Random random, boolean lockstep, List<Integer> stops) {
        int target = streamLength(random, lockstep);
        ByteArrayOutputStream out = new ByteArrayOutputStream(target + MAX_FRAME + 4);
        while (out.size() < target) {
            int kind = random.nextInt(100);
            int length = kind < 2 ? 0 : lockstep ? 1 + random.nextInt(MAX_LOCKSTEP_CHUNK)
                    : kind < 70 ? 1 + random.nextInt(128)
                    : kind < 95 ? 1 + random.nextInt(4096) : 1 + random.nextInt(MAX_FRAME);
            byte[] payload = new byte[length];
            random.nextBytes(payload);
            out.write(length >>> 24);
            out.write(length >>> 16);
            out.write(length >>> 8);
            out.write(length);
            out.write(payload, 0, length);
            stops.add(out.size());
        }
        return out.toByteArray();
    }

    /**
     * Writes {@code end}'s stream up to each of its stops in turn, waiting each time until
     * {@code peer}'s client has received it all: each chunk is then a read (a buffer, a
     * frame) of its own on the server, the way request/response traffic looks.
     */
    private static void writeInLockstep(End end, End peer, Queue<String> problems) throws Exception {
        OutputStream out = end.socket.getOutputStream();
        int offset = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        for (int stop : end.lockstepStops) {
            out.write(end.sends, offset, stop - offset);
            offset = stop;
            while (peer.receivedCount < stop) {
                if (System.nanoTime() > deadline || !problems.isEmpty()) {
                    problems.add(end.name + ": lockstep writer gave up waiting at " + stop + " of "
                            + end.sends.length + " bytes; its peer received " + peer.receivedCount);
                    return;
                }
                java.util.concurrent.locks.LockSupport.parkNanos(20_000);
            }
        }
        out.flush();
    }

    private static void writeInChunks(OutputStream out, byte[] bytes, Random chunks) throws Exception {
        int offset = 0;
        while (offset < bytes.length) {
            int max = switch (chunks.nextInt(10)) {
                case 0, 1, 2 -> 16;
                case 3, 4, 5, 6, 7 -> 2048;
                default -> MAX_CHUNK;
            };
            int length = Math.min(bytes.length - offset, 1 + chunks.nextInt(max));
            out.write(bytes, offset, length);
            offset += length;
        }
        out.flush();
    }

    private static void joinAll(List<Thread> threads, Queue<String> problems) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS * 2);
        for (Thread thread : threads) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0 || !thread.join(java.time.Duration.ofMillis(left))) {
                problems.add("thread " + thread.getName() + " did not finish");
            }
        }
    }

    private static void awaitEqual(long expected, LongSupplier actual, String what, String context,
                                   Queue<String> problems) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        long value;
        while ((value = actual.getAsLong()) != expected) {
            if (System.nanoTime() > deadline) {
                fail(what + ": expected " + expected + ", still " + value + "; " + context
                        + (problems.isEmpty() ? "" : "; problems:\n" + String.join("\n", problems)));
            }
            Thread.sleep(10);
        }
    }

    private static long crc(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return crc.getValue();
    }

    static String stackTrace(Throwable t) {
        StringWriter out = new StringWriter();
        t.printStackTrace(new PrintWriter(out));
        return out.toString();
    }

    /** Buffers outstanding, less those the transport's loops lent to the kernel ({@link TestTransport#buffersLentToTheKernel}). */
    private long handlersBuffers() {
        return BufferStatistics.outstandingBuffers() - transport().buffersLentToTheKernel();
    }

    /** {@code PooledBufferAllocator.DEFAULT}'s buffers in use, less those lent to the kernel if they are its. */
    private long pooledInUse() {
        long lent = BufferAllocator.defaultAllocator() == PooledBufferAllocator.DEFAULT
                ? transport().buffersLentToTheKernel() : 0;
        return PooledBufferAllocator.DEFAULT.statistics().buffersInUse() - lent;
    }
}
