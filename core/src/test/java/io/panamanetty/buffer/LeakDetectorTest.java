package io.panamanetty.buffer;

import io.panamanetty.testing.LeakCheck;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Leak reports, with detectors of their own (never the process-wide one, so other tests
 * are unaffected) whose reports the test reads from a queue.
 */
@ExtendWith(LeakCheck.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LeakDetectorTest {
    private static final String PREFIX = "LEAK: a Buffer was garbage-collected without release(); allocated at: ";

    private final BlockingQueue<String> reports = new LinkedBlockingQueue<>();
    private final LeakDetector paranoid = new LeakDetector(LeakDetector.Level.PARANOID, reports::add);
    private final PooledBufferAllocator alloc =
            new PooledBufferAllocator(PooledBufferAllocator.DEFAULT_MAX_POOLED_BYTES, paranoid);

    @Test
    void aBufferCollectedWithoutReleaseIsReportedWithItsAllocationAndLastHint() throws Exception {
        int capacity = leakOneBuffer();
        assertEquals(1, alloc.statistics().buffersInUse(), "the exact count shows the leak");

        String report = awaitReport();
        assertTrue(report.startsWith(PREFIX + "\n\tat "), report);
        String firstFrame = report.substring(PREFIX.length() + 1).lines().findFirst().orElseThrow();
        assertTrue(firstFrame.contains("io.panamanetty.buffer.PooledBufferAllocator.allocate("), report);
        assertTrue(report.contains("LeakDetectorTest.leakOneBuffer("), report);
        assertTrue(report.endsWith(", last touched: decoder #2"), report);
        assertNull(reports.poll(), "reported once");

        // The leaked memory stays allocated and counted; put the process-wide count back
        // as if it had been released, so that LeakCheck judges the rest of this test.
        BufferStatistics.freed(capacity);
    }

    @Test
    void releasedBuffersAndBuffersStillReachableThroughAViewAreNotReported() throws Exception {
        for (int i = 0; i < 1_000; i++) {
            Buffer buf = alloc.allocate(100).touch("handler " + i);
            buf.retainedSlice(0, 10).release();
            buf.release();
        }
        Buffer view = sliceOfADroppedRoot();
        int capacity = leakOneBuffer();
        String report = awaitReport();
        assertTrue(report.contains("last touched: decoder #2"), report);
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        assertNull(reports.poll(), "only the leaked buffer is reported");
        assertEquals(3, view.getByte(3));
        view.release();
        BufferStatistics.freed(capacity);
    }

    @Test
    void anUntouchedLeakSaysSo() throws Exception {
        Buffer buf = alloc.allocate(16);
        buf = null;
        assertNull(buf);
        String report = awaitReport();
        assertTrue(report.endsWith(", last touched: never"), report);
        BufferStatistics.freed(16);
    }

    @Test
    void samplingTracksOneBufferIn128AndDisabledNone() {
        LeakDetector sampled = new LeakDetector(LeakDetector.Level.SAMPLED, reports::add);
        LeakDetector disabled = new LeakDetector(LeakDetector.Level.DISABLED, reports::add);
        int tracked = 0;
        Object resource = new Object();
        for (int i = 0; i < 128_000; i++) {
            LeakDetector.Tracker tracker = sampled.track(resource);
            if (tracker != null) {
                tracked++;
                tracker.close();
            }
            assertNull(disabled.track(resource));
        }
        assertTrue(tracked > 700 && tracked < 1_300, "tracked " + tracked + " of 128000");
        LeakDetector.Tracker always = paranoid.track(resource);
        assertNotNull(always);
        always.close();
        assertNull(reports.poll());
    }

    @Test
    void theSampledLevelRecordsWhereBuffersComeFromOnceItHasSeenALeak() throws Exception {
        LeakDetector sampled = new LeakDetector(LeakDetector.Level.SAMPLED, reports::add);
        trackAndDropOne(sampled);
        String first = awaitReport();
        assertTrue(first.startsWith(PREFIX + "(not recorded: "), first);
        assertTrue(first.contains("io.panamanetty.leakDetection=paranoid"), first);

        trackAndDropOne(sampled);
        String second = awaitReport();
        assertTrue(second.startsWith(PREFIX + "\n\tat "), second);
        assertTrue(second.contains("LeakDetectorTest.trackAndDropOne("), second);
        assertNull(reports.poll(), "each leak reported once");
    }

    /** Tracks resources until one is sampled, and drops it unreleased. */
    private static void trackAndDropOne(LeakDetector detector) {
        LeakDetector.Tracker tracker = null;
        for (int i = 0; tracker == null; i++) {
            assertTrue(i < 1_000_000, "the sampled level never tracked a resource");
            tracker = detector.track(new Object());
        }
    }

    @Test
    void theLevelIsParsedFromThePropertyValue() {
        assertEquals(LeakDetector.Level.DISABLED, LeakDetector.Level.parse("disabled"));
        assertEquals(LeakDetector.Level.PARANOID, LeakDetector.Level.parse(" PARANOID "));
        assertEquals(LeakDetector.Level.SAMPLED, LeakDetector.Level.parse("sampled"));
        assertEquals(LeakDetector.Level.SAMPLED, LeakDetector.Level.parse("sometimes"));
        assertNotNull(LeakDetector.global().level());
    }

    /** Allocates a buffer, touches it and drops it unreleased; returns its capacity. */
    private int leakOneBuffer() {
        Buffer buf = alloc.allocate(64).writeInt(1);
        buf.touch("decoder #1");
        buf.slice(0, 4).touch("decoder #2");
        return buf.capacity();
    }

    /** A view of a root to which no reference is kept: the view keeps the memory reachable. */
    private Buffer sliceOfADroppedRoot() {
        Buffer root = alloc.allocate(32).writeLong(0x0001020304050607L);
        return root.slice(0, 8);
    }

    private String awaitReport() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            System.gc();
            String report = reports.poll(50, TimeUnit.MILLISECONDS);
            if (report != null) {
                return report;
            }
        }
        throw new AssertionError("no leak reported");
    }
}
