package io.panamanetty.transport.uring;

import io.panamanetty.channel.IoHandle;

/**
 * What an {@link IoUringIoHandler} drives: a handle that submits operations on its
 * descriptor and is handed their completions. Each operation's {@code user_data} comes from
 * its {@link IoUringRegistration} ({@link IoUringRegistration#userData(int)}), which names
 * the handle and a small operation tag of the handle's choosing.
 */
interface IoUringHandle extends IoHandle {

    /** The descriptor the operations work on (what cancellation matches at close). */
    int fd();

    /**
     * One completion of the handle's operation {@code op}: {@code res} as the system call
     * would return it ({@code -errno} on failure), {@code flags} the CQE's
     * ({@code IORING_CQE_F_MORE}: a multishot operation goes on). Not called once the
     * registration is cancelled.
     */
    void complete(int op, int res, int flags);
}
