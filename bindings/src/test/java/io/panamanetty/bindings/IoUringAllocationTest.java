package io.panamanetty.bindings;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link IoUringRing}'s hot path (taking SQEs, filling them, submitting and waiting,
 * reaping into a consumer) allocates nothing on the heap once compiled: measured as in
 * {@link HotCallAllocationTest}, over rounds of eight NOPs.
 */
@ExtendWith(NoFdLeaks.class)
@Timeout(120)
class IoUringAllocationTest {
    private static final int WARMUP = 40_000;
    private static final int MEASURED = 10_000;
    private static final int CHUNK = 500;
    private static final int MAX_ROUNDS = 10;
    private static final int BATCH = 8;

    private static long reaped;
    private static final IoUringRing.CompletionConsumer COUNT = (userData, res, flags) -> reaped += res == 0 ? 1 : 0;

    @BeforeAll
    static void ioUringWorks() {
        IoUringAvailable.require();
    }

    /** {@code rounds} times: {@value #BATCH} NOPs taken, filled, submitted, waited for and reaped. */
    private static long nopRounds(IoUringRing ring, int rounds) {
        long failures = 0;
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < BATCH; i++) {
                long sqe = ring.nextSqe();
                if (sqe < 0) {
                    failures++;
                    continue;
                }
                IoUringSqe.prepare(ring.sqes(), sqe, IoUringSqe.IORING_OP_NOP, -1, 0, 0, 0, i);
            }
            if (ring.submitAndWait(BATCH) != BATCH) {
                failures++;
            }
            if (ring.reap(COUNT, Integer.MAX_VALUE) != BATCH) {
                failures++;
            }
        }
        return failures;
    }

    @Test
    void submittingAndReapingAllocateNothing() throws Exception {
        int flags = IoUring.IORING_SETUP_SINGLE_ISSUER | IoUring.IORING_SETUP_DEFER_TASKRUN;
        try (IoUringRing ring = IoUringRing.open(64, 0, flags)) {
            List<Long> rounds = new ArrayList<>();
            long allocated = -1;
            for (int round = 0; round < MAX_ROUNDS && allocated != 0; round++) {
                for (int i = 0; i < WARMUP; i += CHUNK) {
                    assertEquals(0, nopRounds(ring, CHUNK));
                }
                long before = HotCallAllocationTest.allocatedBytes();
                long failures = nopRounds(ring, MEASURED);
                allocated = HotCallAllocationTest.allocatedBytes() - before;
                assertEquals(0, failures);
                rounds.add(allocated);
            }
            System.out.println("IoUringAllocationTest: bytes allocated per measured round of " + MEASURED
                    + " x " + BATCH + " NOPs: " + rounds);
            assertEquals(0, allocated, "heap bytes allocated by the ring's hot path, per round: " + rounds);
            assertTrue(reaped >= (long) (WARMUP + MEASURED) * BATCH);
        }
    }
}
