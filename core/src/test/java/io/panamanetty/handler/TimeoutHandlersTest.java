package io.panamanetty.handler;

import io.panamanetty.channel.ChannelFuture;
import io.panamanetty.channel.ChannelHandlerAdapter;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.ChannelPromise;
import io.panamanetty.channel.embedded.EmbeddedChannel;
import io.panamanetty.testing.LeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The timeout handlers on the embedded loop's clock: when they fire, how often, and what they leave alone. */
@ExtendWith(LeakCheck.class)
class TimeoutHandlersTest {

    /** Records the exceptions that reach it. */
    static final class Exceptions extends ChannelHandlerAdapter {
        final List<Throwable> caught = new ArrayList<>();

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            caught.add(cause);
        }
    }

    /** Holds every write's promise (a socket that takes nothing) until told to complete them. */
    static final class HeldWrites extends ChannelHandlerAdapter {
        final List<ChannelPromise> promises = new ArrayList<>();

        @Override
        public void write(ChannelHandlerContext ctx, Object message, ChannelPromise promise) {
            promises.add(promise);
        }
    }

    @Test
    void readTimeoutFiresOnceAndClosesAfterThePeriodWithoutReads() {
        Exceptions exceptions = new Exceptions();
        EmbeddedChannel ch = new EmbeddedChannel(new ReadTimeoutHandler(100, TimeUnit.MILLISECONDS), exceptions);
        try {
            ch.advanceTimeBy(60, TimeUnit.MILLISECONDS);
            ch.writeInbound("data");   // 60 ms in: the period starts again
            ch.drainInbound();
            ch.advanceTimeBy(99, TimeUnit.MILLISECONDS);
            assertEquals(List.of(), exceptions.caught, "a read 99 ms ago");
            assertTrue(ch.isOpen());
            ch.advanceTimeBy(1, TimeUnit.MILLISECONDS);
            assertEquals(1, exceptions.caught.size());
            assertInstanceOf(ReadTimeoutException.class, exceptions.caught.getFirst());
            assertFalse(ch.isOpen(), "closed after the exception");
            ch.advanceTimeBy(1, TimeUnit.SECONDS);
            assertEquals(1, exceptions.caught.size(), "once");
        } finally {
            ch.finish();
        }
    }

    @Test
    void readTimeoutRejectsANonPositiveTimeout() {
        assertThrows(IllegalArgumentException.class, () -> new ReadTimeoutHandler(0, TimeUnit.SECONDS));
        assertThrows(IllegalArgumentException.class, () -> new WriteTimeoutHandler(-1, TimeUnit.SECONDS));
    }

    @Test
    void aWriteNotDoneInTimeFailsWithWriteTimeoutAndTheChannelCloses() {
        HeldWrites socket = new HeldWrites();
        Exceptions exceptions = new Exceptions();
        EmbeddedChannel ch = new EmbeddedChannel(socket, new WriteTimeoutHandler(100, TimeUnit.MILLISECONDS), exceptions);
        try {
            ChannelFuture quick = ch.write("quick");
            ch.advanceTimeBy(50, TimeUnit.MILLISECONDS);
            socket.promises.getFirst().trySuccess();   // done within the timeout: no timeout later
            ChannelFuture slow = ch.write("slow");   // 50 ms in
            ch.advanceTimeBy(99, TimeUnit.MILLISECONDS);
            assertFalse(slow.isDone(), "149 ms in: the slow write has waited 99 ms");
            assertTrue(ch.isOpen());
            assertEquals(List.of(), exceptions.caught);
            ch.advanceTimeBy(1, TimeUnit.MILLISECONDS);
            assertTrue(quick.isSuccess());
            assertInstanceOf(WriteTimeoutException.class, slow.cause());
            assertEquals(List.of(slow.cause()), exceptions.caught, "fired once, the write's own exception");
            assertFalse(ch.isOpen());
        } finally {
            ch.finish();
        }
    }

    @Test
    void severalLateWritesCloseOnceAndAVoidWriteIsWatchedToo() {
        HeldWrites socket = new HeldWrites();
        Exceptions exceptions = new Exceptions();
        EmbeddedChannel ch = new EmbeddedChannel(socket, new WriteTimeoutHandler(100, TimeUnit.MILLISECONDS), exceptions);
        try {
            ch.runOnLoop(() -> {
                ChannelHandlerContext last = ch.pipeline().context(exceptions);
                return last.write("void", last.voidPromise());
            });
            ChannelFuture second = ch.write("second");
            ch.advanceTimeBy(100, TimeUnit.MILLISECONDS);
            assertEquals(1, exceptions.caught.size(), "one exception for the two late writes: " + exceptions.caught);
            assertInstanceOf(WriteTimeoutException.class, exceptions.caught.getFirst());
            assertInstanceOf(WriteTimeoutException.class, second.cause());
            assertFalse(socket.promises.getFirst().isVoid(), "the void write got a promise of its own");
            assertFalse(ch.isOpen());
        } finally {
            ch.finish();
        }
    }

    @Test
    void removingTheHandlerCancelsItsTimers() {
        HeldWrites socket = new HeldWrites();
        Exceptions exceptions = new Exceptions();
        WriteTimeoutHandler timeouts = new WriteTimeoutHandler(100, TimeUnit.MILLISECONDS);
        EmbeddedChannel ch = new EmbeddedChannel(socket, timeouts, exceptions);
        try {
            ChannelFuture write = ch.write("held");
            ch.runOnLoop(() -> ch.pipeline().remove(timeouts));
            ch.advanceTimeBy(1, TimeUnit.SECONDS);
            assertFalse(write.isDone());
            assertTrue(ch.isOpen());
            assertEquals(List.of(), exceptions.caught);
        } finally {
            ch.finish();
        }
    }
}
