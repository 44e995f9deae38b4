package io.panamanetty.codec;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.channel.ChannelHandler;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.embedded.EmbeddedChannel;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.fail;

/** Helpers shared by the codec tests: feeding bytes in pieces, draining what came out. */
final class CodecTestSupport {
    private CodecTestSupport() {
    }

    static Buffer bytes(EmbeddedChannel ch, byte[] bytes) {
        return ch.alloc().copyOf(bytes);
    }

    static Buffer ascii(EmbeddedChannel ch, String text) {
        return ch.alloc().copyOf(text, StandardCharsets.ISO_8859_1);
    }

    /** Drains the inbound queue, expecting only buffers; returns their bytes and releases them. */
    static List<byte[]> drainFrames(EmbeddedChannel ch) {
        List<byte[]> frames = new ArrayList<>();
        List<Object> messages = ch.drainInbound();
        try {
            for (Object message : messages) {
                if (!(message instanceof Buffer buffer)) {
                    fail("expected a Buffer, got " + message);
                    return frames;
                }
                frames.add(buffer.toByteArray());
            }
        } finally {
            for (Object message : messages) {
                if (message instanceof Buffer buffer && buffer.refCnt() > 0) {
                    buffer.release();
                }
            }
        }
        return frames;
    }

    /**
     * Sits after the decoder in the property tests. Consuming, it copies each frame and lets
     * the framework release it at once, so the decoder's cumulation is not shared and gets
     * compacted in place; otherwise it passes frames on to the channel's inbound queue,
     * where they stay alive and pin the cumulation, which then has to move.
     */
    static final class FrameCollector implements ChannelHandler {
        private final List<byte[]> consumed = new ArrayList<>();
        private volatile boolean consume;

        void consume(boolean consume) {
            this.consume = consume;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            if (consume && message instanceof Buffer buffer) {
                consumed.add(buffer.toByteArray());
            } else {
                ctx.fireChannelRead(message);
            }
        }

        /** The frames consumed, then those queued in the channel (released); both emptied. */
        List<byte[]> drain(EmbeddedChannel ch) {
            List<byte[]> frames = ch.runOnLoop(() -> {
                List<byte[]> copy = new ArrayList<>(consumed);
                consumed.clear();
                return copy;
            });
            frames.addAll(drainFrames(ch));
            return frames;
        }
    }

    /** A channel whose pipeline holds a {@link FrameCollector}, named "collector". */
    static EmbeddedChannel collectingChannel(FrameCollector collector) {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.runOnLoop(() -> ch.pipeline().addLast("collector", collector));
        return ch;
    }

    /** {@link #drainFrames} decoded as ISO-8859-1 text. */
    static List<String> drainStrings(EmbeddedChannel ch) {
        List<String> strings = new ArrayList<>();
        for (byte[] frame : drainFrames(ch)) {
            strings.add(new String(frame, StandardCharsets.ISO_8859_1));
        }
        return strings;
    }

    /** Every exception that reached the end of the pipeline so far, in order. */
    static List<Throwable> drainExceptions(EmbeddedChannel ch) {
        List<Throwable> exceptions = new ArrayList<>();
        while (true) {
            try {
                ch.checkException();
                return exceptions;
            } catch (Throwable t) {
                exceptions.add(t);
            }
        }
    }

    /**
     * Feeds {@code stream} to the channel cut at random points into pieces of 1 to
     * {@code maxPiece} bytes, delivered one to three per {@code writeInbound} call.
     */
    static void feedInPieces(EmbeddedChannel ch, byte[] stream, Random random, int maxPiece) {
        int position = 0;
        while (position < stream.length) {
            int count = 1 + random.nextInt(3);
            List<Buffer> batch = new ArrayList<>(count);
            for (int i = 0; i < count && position < stream.length; i++) {
                int length = Math.min(stream.length - position, 1 + random.nextInt(maxPiece));
                Buffer piece = ch.alloc().allocate(length);
                piece.writeBytes(stream, position, length);
                batch.add(piece);
                position += length;
            }
            ch.writeInbound(batch.toArray());
        }
    }

    /**
     * Puts {@code decoder} at the head of the pipeline in place of the previous one (whose
     * undecoded bytes it forwards are drained and released), synchronously on the loop.
     */
    static void installDecoder(EmbeddedChannel ch, ChannelHandler decoder) {
        ch.runOnLoop(() -> {
            if (ch.pipeline().get("decoder") != null) {
                ch.pipeline().remove("decoder");
            }
            ch.pipeline().addFirst("decoder", decoder);
            return null;
        });
        drainFrames(ch);
    }

    /** Removes the decoder at the head, synchronously, and releases whatever it forwarded. */
    static void removeDecoder(EmbeddedChannel ch) {
        ch.runOnLoop(() -> ch.pipeline().remove("decoder"));
        drainFrames(ch);
    }

    static byte[] concat(List<byte[]> parts) {
        int total = 0;
        for (byte[] part : parts) {
            total += part.length;
        }
        byte[] all = new byte[total];
        int position = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, position, part.length);
            position += part.length;
        }
        return all;
    }
}
