package io.panamanetty.transport.uring;

import io.panamanetty.bindings.IoUringRing;

import java.util.Arrays;

/**
 * Completions taken out of the CQ without being handed to their owners (to give the kernel
 * room while an SQE is being got), kept in order until the next dispatch. Rarely used: the
 * arrays grow only when the CQ was full at a full SQ. Event-loop confined.
 */
final class SetAsideCompletions {
    private long[] userData = new long[16];
    private int[] results = new int[16];
    private int[] flags = new int[16];
    private int count;
    private int next;

    /** Keeps one completion for later. */
    void add(long userData, int res, int flags) {
        if (count == this.userData.length) {
            this.userData = Arrays.copyOf(this.userData, count * 2);
            results = Arrays.copyOf(results, count * 2);
            this.flags = Arrays.copyOf(this.flags, count * 2);
        }
        this.userData[count] = userData;
        results[count] = res;
        this.flags[count] = flags;
        count++;
    }

    /** Completions kept and not yet handed out. */
    int size() {
        return count - next;
    }

    /**
     * Hands the kept completions to {@code consumer} in the order they came (one that throws
     * counts as handed out; the rest stay for the next call).
     */
    void dispatch(IoUringRing.CompletionConsumer consumer) {
        while (next < count) {
            int i = next++;
            consumer.accept(userData[i], results[i], flags[i]);
        }
        next = 0;
        count = 0;
    }
}
