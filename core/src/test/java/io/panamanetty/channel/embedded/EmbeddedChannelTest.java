package io.panamanetty.channel.embedded;

import io.panamanetty.channel.BlockingOperationException;
import io.panamanetty.channel.ChannelHandlerAdapter;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.ChannelPromise;
import io.panamanetty.testing.LeakCheck;
import io.panamanetty.channel.ScheduledTask;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The embedded channel runs on the caller's thread: no thread, no descriptor, a clock of its own. */
@ExtendWith(LeakCheck.class)
class EmbeddedChannelTest {

    @Test
    void manyChannelsStartNoThreadAndOpenNoDescriptor() throws Exception {
        long threadsBefore = threadCount();
        long fdsBefore = fdCount();
        for (int i = 0; i < 200; i++) {
            EmbeddedChannel ch = new EmbeddedChannel(new ChannelHandlerAdapter() { });
            ch.writeInbound(ch.alloc().copyOf("in", StandardCharsets.US_ASCII));
            ch.writeOutbound(ch.alloc().copyOf("out", StandardCharsets.US_ASCII));
            ch.eventLoop().schedule(() -> { }, 1, TimeUnit.SECONDS);
            assertTrue(ch.finish(), "the messages were left in it");
        }
        assertEquals(threadsBefore, threadCount(), "an embedded channel started a (non-daemon) thread");
        assertEquals(fdsBefore, fdCount(), "an embedded channel opened a descriptor");
    }

    @Test
    void tasksFromOtherThreadsWaitUntilTheOwnerRunsThem() throws Exception {
        EmbeddedChannel ch = new EmbeddedChannel();
        try {
            List<String> ran = new CopyOnWriteArrayList<>();
            Thread other = new Thread(() -> ch.eventLoop().execute(() -> ran.add(Thread.currentThread().getName())),
                    "poster");
            other.start();
            other.join();
            assertEquals(List.of(), ran, "a task ran on the thread that posted it");
            assertTrue(ch.eventLoop().inEventLoop());
            ch.runPendingTasks();
            assertEquals(List.of(Thread.currentThread().getName()), ran);
        } finally {
            ch.finish();
        }
    }

    @Test
    void timersFollowTheControllableClock() {
        EmbeddedChannel ch = new EmbeddedChannel();
        try {
            List<String> fired = new CopyOnWriteArrayList<>();
            ch.eventLoop().schedule(() -> fired.add("b"), 20, TimeUnit.MILLISECONDS);
            ch.eventLoop().schedule(() -> fired.add("a"), 10, TimeUnit.MILLISECONDS);
            ScheduledTask<?> cancelled = ch.eventLoop().schedule(() -> fired.add("never"), 15, TimeUnit.MILLISECONDS);
            cancelled.cancel();
            long start = ch.eventLoop().nanoTime();
            ch.runPendingTasks();
            assertEquals(List.of(), fired, "no time passed");
            ch.advanceTimeBy(10, TimeUnit.MILLISECONDS);
            assertEquals(List.of("a"), fired);
            ch.advanceTimeBy(1, TimeUnit.HOURS);
            assertEquals(List.of("a", "b"), fired);
            assertEquals(TimeUnit.MILLISECONDS.toNanos(10) + TimeUnit.HOURS.toNanos(1), ch.eventLoop().nanoTime() - start);
        } finally {
            ch.finish();
        }
    }

    @Test
    void aTimerReschedulingItselfWithNoDelayIsCaughtInsteadOfHanging() {
        EmbeddedChannel ch = new EmbeddedChannel();
        try {
            int[] runs = new int[1];
            ScheduledTask<?>[] latest = new ScheduledTask<?>[1];
            Runnable[] again = new Runnable[1];
            again[0] = () -> {
                runs[0]++;
                latest[0] = ch.eventLoop().schedule(again[0], 0, TimeUnit.MILLISECONDS);
            };
            latest[0] = ch.eventLoop().schedule(again[0], 0, TimeUnit.MILLISECONDS);
            IllegalStateException runaway = assertThrows(IllegalStateException.class, ch::runPendingTasks);
            assertTrue(runaway.getMessage().contains("kept queueing"), runaway.getMessage());
            assertTrue(runs[0] > 1000, "ran " + runs[0] + " times");
            latest[0].cancel();
        } finally {
            ch.finish();
        }
    }

    @Test
    void theLeakCheckSeesOneDescriptorLeaked() throws IOException {
        java.util.Set<String> before = LeakCheck.openFds();
        try (java.nio.channels.FileChannel file = java.nio.channels.FileChannel.open(Path.of("/proc/self/stat"))) {
            java.util.Set<String> after = LeakCheck.openFds();
            after.removeAll(before);
            assertEquals(1, after.size(), "the newly opened descriptor is not told apart from the baseline: " + after);
        }
    }

    @Test
    void waitingOnTheOwnLoopForAFutureOnlyItCouldCompleteThrows() {
        EmbeddedChannel ch = new EmbeddedChannel();
        try {
            ChannelPromise never = ch.newPromise();
            assertThrows(BlockingOperationException.class, never::await);
        } finally {
            ch.finish();
        }
    }

    @Test
    void aCallFromAnotherThreadIsRefusedWithTheReason() throws Exception {
        EmbeddedChannel ch = new EmbeddedChannel();
        try {
            Throwable[] failure = new Throwable[1];
            Thread other = new Thread(() -> {
                try {
                    ch.writeInbound("x");
                } catch (Throwable t) {
                    failure[0] = t;
                }
            });
            other.start();
            other.join();
            IllegalStateException refused = (IllegalStateException) failure[0];
            assertTrue(refused.getMessage().contains("thread that made it"), refused.getMessage());
            assertNull(ch.readInbound());
        } finally {
            ch.finish();
        }
    }

    @Test
    void closeRunsItsCallbacksBeforeReturning() {
        List<String> events = new CopyOnWriteArrayList<>();
        EmbeddedChannel ch = new EmbeddedChannel(new ChannelHandlerAdapter() {
            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                events.add("inactive");
            }

            @Override
            public void channelUnregistered(ChannelHandlerContext ctx) {
                events.add("unregistered");
            }
        });
        try {
            assertTrue(ch.close().isSuccess());
            assertEquals(List.of("inactive", "unregistered"), events);
            assertFalse(ch.isOpen());
        } finally {
            ch.finish();
        }
    }

    /** Non-daemon threads: what a loop thread is, unlike the JVM's own background threads. */
    private static long threadCount() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> !t.isDaemon()).count();
    }

    private static long fdCount() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }
}
