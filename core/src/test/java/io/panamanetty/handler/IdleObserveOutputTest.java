package io.panamanetty.handler;

import io.panamanetty.channel.ChannelFuture;
import io.panamanetty.channel.ChannelHandlerAdapter;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.ChannelPromise;
import io.panamanetty.channel.PendingOutboundBytes;
import io.panamanetty.channel.embedded.EmbeddedChannel;
import io.panamanetty.testing.LeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * {@link IdleStateHandler}'s {@code observeOutput} on the embedded loop's clock: a write that
 * a slow "socket" drains bit by bit keeps WRITER_IDLE away while its bytes move, and is
 * reported once they stop; without it, the unfinished write is reported at once.
 */
@ExtendWith(LeakCheck.class)
class IdleObserveOutputTest {
    private static final long WRITE_BYTES = 1000;

    /** A socket that takes a held write's bytes only when told to, counting them as pending outbound bytes. */
    static final class TrickleSocket extends ChannelHandlerAdapter {
        private ChannelHandlerContext ctx;
        private ChannelPromise promise;
        private long left;

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object message, ChannelPromise promise) {
            this.promise = promise;
            left = WRITE_BYTES;
            PendingOutboundBytes.increment(ctx.channel(), WRITE_BYTES);
        }

        void drain(long bytes) {
            PendingOutboundBytes.decrement(ctx.channel(), bytes);
            left -= bytes;
            if (left == 0) {
                promise.trySuccess();
            }
        }
    }

    /** Records the idle events that reach it. */
    static final class IdleEvents extends ChannelHandlerAdapter {
        final List<IdleStateEvent> events = new ArrayList<>();

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            events.add((IdleStateEvent) event);
        }
    }

    @Test
    void outputMakingProgressIsNotWriterIdle() {
        TrickleSocket socket = new TrickleSocket();
        IdleEvents idle = new IdleEvents();
        EmbeddedChannel ch = new EmbeddedChannel(socket, new IdleStateHandler(true, 0, 100, 0, TimeUnit.MILLISECONDS), idle);
        try {
            ChannelFuture write = ch.writeAndFlush("a large write");   // 1000 bytes pending from t=0
            ch.advanceTimeBy(100, TimeUnit.MILLISECONDS);
            assertEquals(List.of(), idle.events, "t=100: the write was queued since the last look");
            ch.runOnLoop(() -> {
                socket.drain(100);   // t=150: bytes leave
                return null;
            });
            ch.advanceTimeBy(100, TimeUnit.MILLISECONDS);   // t=200: a check, progress seen
            ch.advanceTimeBy(50, TimeUnit.MILLISECONDS);
            assertEquals(List.of(), idle.events, "bytes left within the last period");
            ch.advanceTimeBy(50, TimeUnit.MILLISECONDS);   // t=300: a period with no progress
            assertEquals(List.of(new IdleStateEvent(IdleState.WRITER_IDLE, true)), idle.events);
            assertFalse(write.isDone());

            ch.runOnLoop(() -> {
                socket.drain(900);   // t=300: the rest leaves, the write completes
                return null;
            });
            ch.advanceTimeBy(100, TimeUnit.MILLISECONDS);
            assertEquals(1, idle.events.size(), "the completed write counts as writing");
            ch.advanceTimeBy(100, TimeUnit.MILLISECONDS);
            assertEquals(List.of(new IdleStateEvent(IdleState.WRITER_IDLE, true),
                    new IdleStateEvent(IdleState.WRITER_IDLE, true)), idle.events, "idle again, a new first event");
        } finally {
            ch.finish();
        }
    }

    @Test
    void withoutObservingOutputAnUnfinishedWriteIsWriterIdle() {
        TrickleSocket socket = new TrickleSocket();
        IdleEvents idle = new IdleEvents();
        EmbeddedChannel ch = new EmbeddedChannel(socket, new IdleStateHandler(0, 100, 0, TimeUnit.MILLISECONDS), idle);
        try {
            ch.writeAndFlush("a large write");
            ch.runOnLoop(() -> {
                socket.drain(100);
                return null;
            });
            ch.advanceTimeBy(100, TimeUnit.MILLISECONDS);
            assertEquals(List.of(new IdleStateEvent(IdleState.WRITER_IDLE, true)), idle.events,
                    "bytes moved, but no write completed");
        } finally {
            ch.finish();
        }
    }

    @Test
    void allIdleSeesOutputProgressToo() {
        TrickleSocket socket = new TrickleSocket();
        IdleEvents idle = new IdleEvents();
        EmbeddedChannel ch = new EmbeddedChannel(socket, new IdleStateHandler(true, 0, 0, 100, TimeUnit.MILLISECONDS), idle);
        try {
            ch.writeAndFlush("a large write");
            for (int i = 0; i < 5; i++) {
                ch.runOnLoop(() -> {
                    socket.drain(10);
                    return null;
                });
                ch.advanceTimeBy(100, TimeUnit.MILLISECONDS);
            }
            assertEquals(List.of(), idle.events, "neither read nor write completed, but output moved every period");
            ch.advanceTimeBy(100, TimeUnit.MILLISECONDS);
            assertEquals(List.of(new IdleStateEvent(IdleState.ALL_IDLE, true)), idle.events);
        } finally {
            ch.finish();
        }
    }
}
