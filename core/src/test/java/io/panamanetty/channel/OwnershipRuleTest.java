package io.panamanetty.channel;

import io.panamanetty.testing.LeakCheck;

import io.panamanetty.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import io.panamanetty.channel.embedded.EmbeddedChannel;

/** The ownership rule's corner cases with views, through an embedded channel. */
@ExtendWith(LeakCheck.class)
class OwnershipRuleTest {

    private record Wrapper(Buffer payload) {
    }

    @Test
    void aRetainedSliceKeptAfterReleasingTheInputStaysAlive() {
        AtomicReference<Buffer> kept = new AtomicReference<>();
        EmbeddedChannel ch = new EmbeddedChannel(new ChannelHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object message) {
                Buffer in = (Buffer) message;
                Buffer slice = in.retainedSlice(0, 2);
                in.release();
                ctx.fireChannelRead(new Wrapper(slice));   // wrapped: the wrapper owns the slice's reference
            }
        });
        try {
            ch.writeInbound(ch.alloc().copyOf("abcd", StandardCharsets.US_ASCII));
            Wrapper wrapper = ch.readInbound();
            kept.set(wrapper.payload());
            assertEquals(1, kept.get().refCnt());
            assertEquals("ab", kept.get().toString(StandardCharsets.US_ASCII));
        } finally {
            if (kept.get() != null) {
                kept.get().release();
            }
            ch.finish();
        }
    }

    @Test
    void passingOnARetainedSliceStillEndsTheCallbacksReference() {
        EmbeddedChannel ch = new EmbeddedChannel(new ChannelHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object message) {
                ctx.fireChannelRead(((Buffer) message).retainedSlice(1, 2));   // input not released here
            }
        });
        try {
            ch.writeInbound(ch.alloc().copyOf("abcd", StandardCharsets.US_ASCII));
            Buffer slice = ch.readInbound();
            assertEquals("bc", slice.toString(StandardCharsets.US_ASCII));
            assertEquals(1, slice.refCnt());   // only the slice's own reference is left
            slice.release();
            assertEquals(0, slice.refCnt());
        } finally {
            ch.finish();
        }
    }

    @Test
    void passingOnAPlainSlicePassesTheCallbacksReference() {
        EmbeddedChannel ch = new EmbeddedChannel(new ChannelHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object message) {
                ctx.fireChannelRead(((Buffer) message).slice(2, 2));
            }
        });
        try {
            ch.writeInbound(ch.alloc().copyOf("abcd", StandardCharsets.US_ASCII));
            Buffer slice = ch.readInbound();
            assertEquals("cd", slice.toString(StandardCharsets.US_ASCII));
            assertEquals(1, slice.refCnt());
            slice.release();
        } finally {
            ch.finish();
        }
    }

    @Test
    void retainingToKeepThenWritingLeavesOneReferenceWithTheHandler() {
        AtomicReference<Buffer> kept = new AtomicReference<>();
        EmbeddedChannel ch = new EmbeddedChannel(new ChannelHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object message) {
                Buffer in = (Buffer) message;
                kept.set(in.retain());
                ctx.write(in);
            }
        });
        try {
            ch.writeInbound(ch.alloc().copyOf("x", StandardCharsets.US_ASCII));
            Buffer written = ch.readOutbound();
            assertEquals(2, written.refCnt());   // one for the write, one kept
            written.release();
            assertEquals(1, kept.get().refCnt());
        } finally {
            kept.get().release();
            ch.finish();
        }
    }

    @Test
    void retainingOnlyKeepsExactlyOneReference() {
        AtomicReference<Buffer> kept = new AtomicReference<>();
        EmbeddedChannel ch = new EmbeddedChannel(new ChannelHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object message) {
                kept.set(((Buffer) message).retain());
            }
        });
        try {
            ch.writeInbound(ch.alloc().copyOf("x", StandardCharsets.US_ASCII));
            assertEquals(1, kept.get().refCnt());
        } finally {
            kept.get().release();
            ch.finish();
        }
    }
}
