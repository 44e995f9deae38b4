package io.panamanetty.testsuite;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.buffer.BufferAllocator;
import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelFuture;
import io.panamanetty.channel.ChannelFutureListener;
import io.panamanetty.channel.ChannelHandlerAdapter;
import io.panamanetty.channel.ChannelHandlerContext;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.zip.CRC32;


/**
 * Writes what it reads to its partner channel (on the other loop), in one of the
 * {@link Mode}s. Its fields other than the atomics are confined to its channel's loop.
 */
final class RecyclingRelay extends ChannelHandlerAdapter {
    /** What a relay does with one buffer it reads. */
    enum Mode {
        /** Writes the buffer itself to the partner: it is released (and recycled) on the partner's loop. */
        PASS,
        /** Writes a retained slice, then releases its input itself. */
        RETAINED_SLICE_THEN_RELEASE,
        /** Writes a retained duplicate and leaves its input to the framework. */
        RETAINED_DUPLICATE,
        /**
         * Copies the bytes to the heap, releases its input, allocates the reply (the recycled
         * input object comes straight back) and grows it while writing; sometimes also keeps
         * an extra reference to the reply, checked and released later.
         */
        RELEASE_THEN_ALLOCATE,
        /** Allocates the reply, copies the input into it, then releases the input. */
        COPY_THEN_RELEASE,
        /** Allocates the reply and copies into it; the framework releases the input. */
        COPY_AND_LEAVE,
        /** Writes the input as {@code readBytes(n)} slices; raw streams only (it would split frames). */
        SPLIT,
        /** Retains the input and keeps it, to be written on the next callback or by a timer. */
        DEFER_RETAINED,
        /** Keeps a retained duplicate of the input, to be written later; the framework releases the input. */
        DEFER_DUPLICATE,
        /**
         * Retains the input, writes it, and keeps the extra reference for a while; before
         * releasing it, checks that its bytes are still the ones written (a buffer freed and
         * recycled behind the handler's back would hold another owner's bytes).
         */
        WRITE_AND_KEEP
    }

    /** A reference a relay keeps, with the checksum of the bytes it must still see. */
    private record Kept(Buffer buffer, int index, int length, long crc, String what) {
    }

    final String name;
    final boolean framed;
    final Queue<String> problems;
    final CompletableFuture<Channel> active = new CompletableFuture<>();
    final AtomicLong bytesRead = new AtomicLong();
    final AtomicLong sameObjectReplies = new AtomicLong();
    final AtomicLongArray modes = new AtomicLongArray(Mode.values().length);
    volatile Channel partner;
    private final Random random;
    private final ArrayDeque<Buffer> deferred = new ArrayDeque<>();
    private final ArrayDeque<Kept> kept = new ArrayDeque<>();
    private boolean drainScheduled;
    private final ChannelFutureListener writeFailure;

    RecyclingRelay(String name, boolean framed, long seed, Queue<String> problems) {
        this.name = name;
        this.framed = framed;
        this.random = new Random(seed);
        this.problems = problems;
        this.writeFailure = future -> {
            if (!future.isSuccess()) {
                problems.add(name + ": a write to the partner failed: " + RecyclingStressScenario.stackTrace(future.cause()));
            }
        };
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        active.complete(ctx.channel());
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        Buffer in = (Buffer) message;
        int length = in.readableBytes();
        bytesRead.addAndGet(length);
        writeDeferred();   // what earlier callbacks kept goes first: the order must hold
        Mode[] all = Mode.values();
        Mode mode = all[random.nextInt(all.length)];
        if (framed && mode == Mode.SPLIT) {
            mode = Mode.PASS;
        }
        modes.incrementAndGet(mode.ordinal());
        BufferAllocator alloc = ctx.alloc();
        switch (mode) {
            case PASS -> send(in);
            case RETAINED_SLICE_THEN_RELEASE -> {
                send(in.retainedSlice());
                in.release();
            }
            case RETAINED_DUPLICATE -> send(in.retainedDuplicate());
            case RELEASE_THEN_ALLOCATE -> {
                byte[] bytes = new byte[length];
                in.readBytes(bytes);
                in.release();
                // Start small, so that writing grows the (maybe recycled) root.
                Buffer out = alloc.allocate(random.nextInt(length + 1));
                if (out == in) {
                    sameObjectReplies.incrementAndGet();
                }
                out.writeBytes(bytes);
                if (random.nextInt(3) == 0) {
                    keep(out.retain(), "reply allocated after releasing the input");
                }
                send(out);
            }
            case COPY_THEN_RELEASE -> {
                Buffer out = alloc.allocate(length);
                out.writeBytes(in);
                in.release();
                send(out);
            }
            case COPY_AND_LEAVE -> {
                Buffer out = alloc.allocate(random.nextInt(length + 1));
                out.writeBytes(in);
                send(out);
            }
            case SPLIT -> {
                while (in.isReadable()) {
                    int piece = Math.min(in.readableBytes(), 1 + random.nextInt(random.nextBoolean() ? 64 : 8192));
                    send(in.readBytes(piece));
                }
                if (random.nextBoolean()) {
                    in.release();
                }
            }
            case DEFER_RETAINED -> defer(ctx, in.retain());
            case DEFER_DUPLICATE -> defer(ctx, in.retainedDuplicate());
            case WRITE_AND_KEEP -> {
                keep(in.retain(), "input written and kept");
                send(in);
            }
        }
        int limit = random.nextInt(16);
        while (kept.size() > limit) {
            checkAndRelease(kept.poll());
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        Channel to = partner;
        if (to != null) {
            to.flush();
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseEverythingKept();   // normally empty by now: the test drains before closing
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        problems.add(name + ": exceptionCaught: " + RecyclingStressScenario.stackTrace(cause));
    }

    /** Writes to the partner (sometimes flushing at once), watching for failures. */
    private void send(Buffer buffer) {
        Channel to = partner;
        ChannelFuture write = random.nextInt(4) == 0 ? to.writeAndFlush(buffer) : to.write(buffer);
        write.addListener(writeFailure);
    }

    private void defer(ChannelHandlerContext ctx, Buffer buffer) {
        deferred.add(buffer);
        if (!drainScheduled) {
            drainScheduled = true;
            ctx.channel().eventLoop().schedule(this::drain, 1 + random.nextInt(3), TimeUnit.MILLISECONDS);
        }
    }

    /** The timer: sends what was deferred, checks and releases some kept references. */
    private void drain() {
        drainScheduled = false;
        writeDeferred();
        int limit = random.nextInt(4);
        while (kept.size() > limit) {
            checkAndRelease(kept.poll());
        }
        Channel to = partner;
        if (to != null) {
            to.flush();
        }
    }

    private void writeDeferred() {
        Buffer buffer;
        while ((buffer = deferred.poll()) != null) {
            send(buffer);
        }
    }

    private void keep(Buffer buffer, String what) {
        int index = buffer.readerIndex();
        int length = buffer.readableBytes();
        kept.add(new Kept(buffer, index, length, crc(buffer, index, length), what));
    }

    private void checkAndRelease(Kept k) {
        try {
            int refCnt = k.buffer().refCnt();
            if (refCnt < 1) {
                problems.add(name + ": a kept reference (" + k.what() + ", " + k.length()
                        + " bytes) was freed behind the handler's back: refCnt " + refCnt);
                return;
            }
            long now = crc(k.buffer(), k.index(), k.length());
            if (now != k.crc()) {
                problems.add(name + ": the bytes of a kept reference (" + k.what() + ", " + k.length()
                        + " bytes) changed while it was kept: the buffer was freed and reused by another owner");
            }
            k.buffer().release();
        } catch (RuntimeException e) {
            problems.add(name + ": checking a kept reference (" + k.what() + ") failed: " + RecyclingStressScenario.stackTrace(e));
        }
    }

    /** Sends what is deferred, checks and releases what is kept; on the channel's loop. */
    void finish() {
        writeDeferred();
        Kept k;
        while ((k = kept.poll()) != null) {
            checkAndRelease(k);
        }
        Channel to = partner;
        if (to != null) {
            to.flush();
        }
    }

    private void releaseEverythingKept() {
        Buffer buffer;
        while ((buffer = deferred.poll()) != null) {
            buffer.release();
        }
        Kept k;
        while ((k = kept.poll()) != null) {
            k.buffer().release();
        }
    }

    private static long crc(Buffer buffer, int index, int length) {
        byte[] bytes = new byte[length];
        buffer.getBytes(index, bytes, 0, length);
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return crc.getValue();
    }
}
