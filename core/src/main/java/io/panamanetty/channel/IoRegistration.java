package io.panamanetty.channel;

import java.io.IOException;

/**
 * One {@link IoHandle}'s registration with an {@link IoHandler}, used on the loop's
 * thread only.
 */
public interface IoRegistration {

    /**
     * Sets what the handle waits for, in the handler's own encoding (epoll: a mask of
     * {@code EPOLL*} flags; 0: nothing).
     *
     * @throws IOException if the kernel refuses
     */
    void interest(int ops) throws IOException;

    /**
     * Ends the registration: no event reaches the handle from now on. {@code whenQuiet}
     * runs on the loop once nothing is in flight for the handle any more: before this
     * method returns for a readiness handler (epoll), after the operations still in flight
     * completed for a completion handler (io_uring). The handle's descriptor and the
     * buffers those operations use must stay until then; closing them is
     * {@code whenQuiet}'s job. The channel's own close callbacks ({@code channelInactive},
     * its close future) do not wait for it: they may come first.
     */
    void cancel(Runnable whenQuiet);

    /** True until {@link #cancel}. */
    boolean isValid();
}
