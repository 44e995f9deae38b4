package io.panamanetty.bindings;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The CQEs a test reaped, in order, and waiting for a number of them (bounded in time). */
final class Completions implements IoUringRing.CompletionConsumer {
    /** One reaped CQE. */
    record Cqe(long userData, int res, int flags) {
        boolean more() {
            return (flags & IoUringCqe.IORING_CQE_F_MORE) != 0;
        }
    }

    private static final long WAIT_NANOS = 10_000_000_000L;
    private static final long SLICE_NANOS = 100_000_000L;

    final List<Cqe> reaped = new ArrayList<>();

    @Override
    public void accept(long userData, int res, int flags) {
        reaped.add(new Cqe(userData, res, flags));
    }

    /** Submits what is pending and reaps until {@code count} CQEs in all have arrived. */
    List<Cqe> await(IoUringRing ring, int count) {
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (reaped.size() < count) {
            if (System.nanoTime() - deadline > 0) {
                fail("only " + reaped.size() + " of " + count + " completions arrived: " + reaped);
            }
            int submitted = ring.submitAndWait(1, SLICE_NANOS);
            assertTrue(submitted >= 0, () -> "io_uring_enter: " + Errno.symbol(-submitted));
            ring.reap(this, Integer.MAX_VALUE);
        }
        return reaped;
    }

    /** The CQEs with {@code userData}. */
    List<Cqe> of(long userData) {
        return reaped.stream().filter(cqe -> cqe.userData() == userData).toList();
    }
}
