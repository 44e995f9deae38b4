package io.panamanetty.testsuite;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.buffer.BufferStatistics;
import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelHandlerAdapter;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.ChannelOption;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.testing.LeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Water marks and writability hold a fast writer to a slow reader's pace without
 * buffering without bound; the default echo server stops reading from a client that
 * never reads.
 */
@ExtendWith(LeakCheck.class)
public abstract class BackpressureScenario extends TransportScenario {
    private static final long TIMEOUT_SECONDS = 30;
    private static final long MB = 1024 * 1024;

    /**
     * Writes {@code total} pseudo-random bytes, only while the channel is writable,
     * resuming when it turns writable again.
     */
    static final class Producer extends ChannelHandlerAdapter {
        static final int CHUNK = 16 * 1024;
        final long total;
        final CRC32 crc = new CRC32();
        final Random random = new Random(42);
        final byte[] scratch = new byte[CHUNK];
        final AtomicInteger toUnwritable = new AtomicInteger();
        final AtomicInteger toWritable = new AtomicInteger();
        final AtomicInteger failedWrites = new AtomicInteger();
        final AtomicLong maxOutstandingOnLoop = new AtomicLong();
        final CompletableFuture<Long> allWritten = new CompletableFuture<>();
        final long baselineBytes;
        /** Buffer bytes outstanding that handlers hold (the scenario's {@code handlersBytes}). */
        final java.util.function.LongSupplier outstanding;
        private long sent;
        private boolean writing;

        Producer(long total, long baselineBytes, java.util.function.LongSupplier outstanding) {
            this.outstanding = outstanding;
            this.total = total;
            this.baselineBytes = baselineBytes;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            writeMore(ctx);
            ctx.fireChannelActive();
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable()) {
                toWritable.incrementAndGet();
                writeMore(ctx);
            } else {
                toUnwritable.incrementAndGet();
            }
            ctx.fireChannelWritabilityChanged();
        }

        private void writeMore(ChannelHandlerContext ctx) {
            if (writing) {
                return;
            }
            writing = true;
            try {
                long maxChunks = total / CHUNK + 1;
                for (long i = 0; i < maxChunks && sent < total && ctx.channel().isWritable(); i++) {
                    int length = (int) Math.min(CHUNK, total - sent);
                    random.nextBytes(scratch);
                    crc.update(scratch, 0, length);
                    Buffer buffer = ctx.alloc().allocate(length);
                    buffer.writeBytes(scratch, 0, length);
                    sent += length;
                    ctx.write(buffer).addListener(f -> {
                        if (!f.isSuccess()) {
                            failedWrites.incrementAndGet();
                        }
                    });
                }
                maxOutstandingOnLoop.accumulateAndGet(outstanding.getAsLong() - baselineBytes, Math::max);
            } finally {
                writing = false;
            }
            if (sent == total) {
                ctx.flush();
                allWritten.complete(crc.getValue());
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            allWritten.completeExceptionally(cause);
            ctx.close();
        }
    }

    @Test
    public void writerFollowsWritabilityToASlowReader() throws Exception {
        long total = 100 * MB;
        long baseline = handlersBytes();
        Producer producer = new Producer(total, baseline, this::handlersBytes);
        AtomicBoolean done = new AtomicBoolean();
        AtomicLong maxOutstanding = new AtomicLong();
        Thread sampler = Thread.ofPlatform().name("outstanding-sampler").start(() -> {
            for (int i = 0; i < 120_000 && !done.get(); i++) {   // at most ~2 minutes
                maxOutstanding.accumulateAndGet(handlersBytes() - baseline, Math::max);
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        try (EventLoopGroup group = transport().newGroup(1, "slow-reader")) {
            Channel server = transport().serverBootstrap().group(group).childHandler(() -> producer)
                    .childOption(ChannelOption.WRITE_BUFFER_HIGH_WATER_MARK, 64 * 1024)
                    .childOption(ChannelOption.WRITE_BUFFER_LOW_WATER_MARK, 16 * 1024)
                    .childOption(ChannelOption.SO_SNDBUF, 64 * 1024)
                    .bind("127.0.0.1", 0).sync().channel();
            try (Socket client = new Socket()) {
                client.setReceiveBufferSize(64 * 1024);
                client.setSoTimeout((int) TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
                client.connect(new InetSocketAddress("127.0.0.1", ((InetSocketAddress) server.localAddress()).getPort()));
                InputStream in = client.getInputStream();
                CRC32 crc = new CRC32();
                long received = 0;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);

                // Slow: 1 KiB at a time with a pause, until the flips are proven (bounded).
                byte[] small = new byte[1024];
                long slowDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                int flipsBefore = producer.toWritable.get();
                while (received < total && System.nanoTime() < slowDeadline
                        && (received < MB || producer.toWritable.get() - flipsBefore < 3
                            || producer.toUnwritable.get() < 3)) {
                    int n = in.read(small);
                    if (n < 0) {
                        break;
                    }
                    crc.update(small, 0, n);
                    received += n;
                    Thread.sleep(1);
                }
                assertTrue(producer.toUnwritable.get() >= 1, "turned unwritable at least once");
                assertTrue(producer.toWritable.get() - flipsBefore >= 1,
                        "turned writable again while the reader was slow");

                // Fast: the rest.
                byte[] big = new byte[64 * 1024];
                while (received < total && System.nanoTime() < deadline) {
                    int n = in.read(big, 0, (int) Math.min(big.length, total - received));
                    if (n < 0) {
                        break;
                    }
                    crc.update(big, 0, n);
                    received += n;
                }
                assertEquals(total, received, "every byte arrived");
                long sentCrc = producer.allWritten.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                assertEquals(sentCrc, crc.getValue(), "the bytes arrived intact and in order");
            }
            done.set(true);
            sampler.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
            assertFalse(sampler.isAlive());
            assertEquals(0, producer.failedWrites.get());
            assertTrue(producer.toWritable.get() >= 1 && producer.toUnwritable.get() >= 1);
            long max = Math.max(maxOutstanding.get(), producer.maxOutstandingOnLoop.get());
            assertTrue(max < 8 * MB, "outstanding buffer bytes stayed bounded: max " + max);
            server.close().sync();
        } finally {
            done.set(true);
        }
    }

    @Test
    public void defaultEchoServerStopsReadingFromAClientThatNeverReads() throws Exception {
        long baseline = handlersBytes();
        try (EventLoopGroup group = transport().newGroup(2, "never-reads")) {
            Channel server = transport().serverBootstrap().group(group).bind("127.0.0.1", 0).sync().channel();
            Socket client = new Socket("127.0.0.1", ((InetSocketAddress) server.localAddress()).getPort());
            AtomicLong sent = new AtomicLong();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<Throwable> writerFailure = new AtomicReference<>();
            Thread writer = Thread.ofPlatform().name("never-reads-writer").start(() -> {
                byte[] chunk = new byte[64 * 1024];
                try {
                    OutputStream out = client.getOutputStream();
                    for (int i = 0; i < 16 * 1024 && !stop.get(); i++) {   // up to 1 GB
                        out.write(chunk);
                        sent.addAndGet(chunk.length);
                    }
                } catch (IOException e) {
                    if (!stop.get()) {
                        writerFailure.set(e);
                    }
                }
            });
            boolean stalled = false;
            long maxOutstanding = 0;
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
                long last = -1;
                long lastChange = System.nanoTime();
                while (System.nanoTime() < deadline && writer.isAlive()) {
                    Thread.sleep(50);
                    maxOutstanding = Math.max(maxOutstanding, handlersBytes() - baseline);
                    long now = System.nanoTime();
                    long progress = sent.get();
                    if (progress != last) {
                        last = progress;
                        lastChange = now;
                    } else if (now - lastChange >= TimeUnit.SECONDS.toNanos(2)) {
                        stalled = true;
                        break;
                    }
                }
            } finally {
                stop.set(true);
                client.close();   // unblocks the writer
                writer.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
            }
            assertFalse(writer.isAlive(), "the writer thread ended");
            assertNull(writerFailure.get(), "the writer was not cut off before it stalled");
            assertTrue(stalled, "the client's writes stalled; sent " + sent.get() + " bytes");
            assertTrue(sent.get() < 64 * MB, "the server stopped taking bytes after " + sent.get());
            assertTrue(maxOutstanding < 16 * MB, "outstanding buffer bytes stayed small: " + maxOutstanding);
            server.close().sync();
        }
    }

    /** Buffer bytes outstanding, less those the transport's loops lent to the kernel ({@link TestTransport#bytesLentToTheKernel}). */
    private long handlersBytes() {
        return BufferStatistics.outstandingBytes() - transport().bytesLentToTheKernel();
    }
}
