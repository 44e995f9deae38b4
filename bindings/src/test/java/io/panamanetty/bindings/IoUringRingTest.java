package io.panamanetty.bindings;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link IoUringRing}'s mechanics on the real kernel: submission, reaping, full queues, closing. */
@ExtendWith(NoFdLeaks.class)
@Timeout(60)
class IoUringRingTest {

    @BeforeAll
    static void ioUringWorks() {
        IoUringAvailable.require();
    }

    private static void nop(IoUringRing ring, long userData) {
        long sqe = ring.nextSqe();
        assertTrue(sqe >= 0, "no free SQE");
        IoUringSqe.prepare(ring.sqes(), sqe, IoUringSqe.IORING_OP_NOP, -1, 0, 0, 0, userData);
    }

    @Test
    void nopMakesTheRoundTrip() throws Exception {
        try (IoUringRing ring = IoUringRing.open(8, 0, 0)) {
            assertEquals(8, ring.sqEntries());
            assertEquals(16, ring.cqEntries(), "the CQ is twice the SQ by default");
            nop(ring, 42);
            assertEquals(1, ring.submitAndWait(1));
            Completions completions = new Completions();
            assertEquals(1, ring.reap(completions, 10));
            assertEquals(List.of(new Completions.Cqe(42, 0, 0)), completions.reaped);
            assertEquals(0, ring.reap(completions, 10), "reaped once only");
        }
    }

    @Test
    void singleIssuerWithDeferredTaskRunCompletesOnEnter() throws Exception {
        int flags = IoUring.IORING_SETUP_SINGLE_ISSUER | IoUring.IORING_SETUP_DEFER_TASKRUN
                | IoUring.IORING_SETUP_SUBMIT_ALL;
        try (IoUringRing ring = IoUringRing.open(4, 64, flags)) {
            assertEquals(64, ring.cqEntries());
            for (long i = 0; i < 3; i++) {
                nop(ring, i);
            }
            Completions completions = new Completions();
            completions.await(ring, 3);
            assertEquals(List.of(0L, 1L, 2L), completions.reaped.stream().map(Completions.Cqe::userData).toList());
        }
    }

    @Test
    void deferredTaskRunWithoutSingleIssuerIsRefusedWithEinval() {
        NativeIoException refused = assertThrows(NativeIoException.class,
                () -> IoUringRing.open(4, 0, IoUring.IORING_SETUP_DEFER_TASKRUN));
        assertEquals(Errno.EINVAL, refused.errno());
        assertTrue(refused.getMessage().startsWith("io_uring_setup entries=4"), refused.getMessage());
        assertTrue(refused.getMessage().endsWith("failed: EINVAL (Invalid argument)"), refused.getMessage());
    }

    @Test
    void eachCompletionsSlotIsFreedBeforeItsConsumerRuns() throws Exception {
        try (IoUringRing ring = IoUringRing.open(4, 0, 0)) {
            for (long i = 0; i < 3; i++) {
                nop(ring, i);
            }
            assertEquals(3, ring.submitAndWait(3));
            List<Integer> readyAtEach = new java.util.ArrayList<>();
            assertEquals(3, ring.reap((userData, res, flags) -> readyAtEach.add(ring.readyCompletions()), 10));
            assertEquals(List.of(2, 1, 0), readyAtEach, "a consumer sees its own CQE handed back already");
        }
    }

    @Test
    void aFullSubmissionQueueHasNoSlotUntilSubmitted() throws Exception {
        try (IoUringRing ring = IoUringRing.open(4, 0, 0)) {
            for (long i = 0; i < 4; i++) {
                assertEquals(4 - i, ring.freeSqes(), "free SQEs after " + i + " taken");
                nop(ring, i);
            }
            assertEquals(0, ring.freeSqes());
            assertEquals(-1, ring.nextSqe(), "the fifth SQE of a 4-entry SQ");
            assertEquals(4, ring.pendingSubmissions());
            assertEquals(4, ring.submit());
            assertEquals(0, ring.pendingSubmissions());
            assertEquals(4, ring.freeSqes(), "the kernel consumed them all");
            nop(ring, 4);   // room again
            Completions completions = new Completions();
            completions.await(ring, 5);
            assertEquals(LongStream.range(0, 5).boxed().toList(),
                    completions.reaped.stream().map(Completions.Cqe::userData).toList());
        }
    }

    @Test
    void completionsBeyondATinyCqAreKeptAndAllArrive() throws Exception {
        try (IoUringRing ring = IoUringRing.open(4, 4, 0)) {
            assertEquals(4, ring.cqEntries());
            assertTrue((ring.features() & IoUring.IORING_FEAT_NODROP) != 0, "this kernel keeps overflowed CQEs");
            int submitted = 0;
            for (long i = 0; i < 64; i++) {
                nop(ring, i);
                if (ring.pendingSubmissions() == 4) {
                    int result = ring.submit();
                    assertTrue(result == 4 || result == -Errno.EBUSY, "submit: " + result);
                    submitted += Math.max(0, result);
                    if (result < 0) {
                        break;
                    }
                }
            }
            assertEquals(64, submitted, "the kernel took every NOP without our reaping");
            assertEquals(4, ring.readyCompletions(), "the CQ is full");
            assertTrue(ring.cqOverflowPending(), "IORING_SQ_CQ_OVERFLOW");

            Completions completions = new Completions();
            assertEquals(64, ring.reap(completions, Integer.MAX_VALUE));
            assertEquals(LongStream.range(0, 64).boxed().toList(),
                    completions.reaped.stream().map(Completions.Cqe::userData).toList(), "all, in order");
            assertFalse(ring.cqOverflowPending());
            assertEquals(0, ring.cqOverflowCount(), "nothing was dropped");
        }
    }

    @Test
    void aTimedWaitWithNothingInFlightReturns() throws Exception {
        try (IoUringRing ring = IoUringRing.open(4, 0, IoUring.IORING_SETUP_SINGLE_ISSUER)) {
            assertEquals(0, ring.submitAndWait(1, 10_000_000L));
            assertEquals(0, ring.readyCompletions());
        }
    }

    @Test
    void theRingBelongsToTheThreadThatOpenedIt() throws Exception {
        try (IoUringRing ring = IoUringRing.open(4, 0, IoUring.IORING_SETUP_SINGLE_ISSUER)) {
            CompletableFuture<Object> elsewhere = CompletableFuture.supplyAsync(() -> ring.nextSqe());
            ExecutionException failure = assertThrows(ExecutionException.class,
                    () -> elsewhere.get(10, TimeUnit.SECONDS));
            assertInstanceOf(WrongThreadException.class, failure.getCause());
        }
    }

    @Test
    void closingUnmapsTheRingsAndClosesTheFd() throws Exception {
        long before = ioUringMappings();
        for (int i = 0; i < 20; i++) {
            IoUringRing ring = IoUringRing.open(32, 0, 0);
            assertTrue(ioUringMappings() > before, "the rings are mapped");
            nop(ring, i);
            ring.submit();
            ring.close();
            ring.close();   // idempotent
            assertThrows(IllegalStateException.class, ring::submit);
        }
        assertEquals(before, ioUringMappings(), "every ring mapping is gone");
    }

    @Test
    void layoutChangingFlagsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> IoUringRing.open(4, 0, IoUring.IORING_SETUP_SQPOLL));
        assertThrows(IllegalArgumentException.class, () -> IoUringRing.open(4, 0, IoUring.IORING_SETUP_NO_SQARRAY));
    }

    /** Lines of {@code /proc/self/maps} that map an io_uring fd. */
    private static long ioUringMappings() throws IOException {
        try (var lines = Files.lines(Path.of("/proc/self/maps"))) {
            return lines.filter(line -> line.contains("io_uring")).count();
        }
    }
}
