package io.panamanetty.transport.uring;

import io.panamanetty.bindings.IoUring;
import io.panamanetty.bindings.IoUringSqe;
import io.panamanetty.bindings.IoUringSupport;
import io.panamanetty.channel.IoHandler;
import io.panamanetty.channel.IoHandlerFactory;

import java.io.IOException;

/**
 * Makes {@link IoUringIoHandler}s: io_uring loops.
 * <pre>{@code
 * EventLoopGroup loops = new EventLoopGroup(2, "Worker", new IoUringIoHandlerFactory());
 * }</pre>
 * The kernel is asked once what it supports (again only if it refused for want of
 * descriptors or memory, which may pass); where io_uring cannot be
 * used, every {@link #newHandler()} fails with the reason (the sysctl
 * {@code kernel.io_uring_disabled}, a seccomp filter, a kernel without what the handler needs).
 */
public final class IoUringIoHandlerFactory implements IoHandlerFactory {
    /** What the handler needs: CQEs kept beyond a full CQ, stable SQEs, and its operations. */
    private static final int REQUIRED_FEATURES = IoUring.IORING_FEAT_NODROP | IoUring.IORING_FEAT_SUBMIT_STABLE;
    private static final int[] REQUIRED_OPS = {IoUringSqe.IORING_OP_READ, IoUringSqe.IORING_OP_TIMEOUT,
            IoUringSqe.IORING_OP_TIMEOUT_REMOVE, IoUringSqe.IORING_OP_ASYNC_CANCEL};

    /** A factory (they share what the kernel supports: any instance will do). */
    public IoUringIoHandlerFactory() {
    }

    /** What the kernel supports: detected once, again only after a transient refusal. */
    private static IoUringSupport support;

    private static synchronized IoUringSupport support() {
        IoUringSupport known = support;
        if (known == null || known.refusalIsTransient()) {
            known = IoUringSupport.detect();
            support = known;
        }
        return known;
    }

    /** Why io_uring loops cannot run here, or null if they can. */
    public static String unavailableReason() {
        IoUringSupport kernel = support();
        String missing = kernel.missing(REQUIRED_FEATURES, REQUIRED_OPS);
        if (missing == null && !kernel.cancelsByFd()) {
            missing = "the kernel cannot cancel io_uring requests by descriptor (IORING_ASYNC_CANCEL_FD, Linux 5.19)";
        }
        return missing;
    }

    /**
     * A new ring for the calling loop thread.
     *
     * @throws IOException why io_uring cannot be used here, or naming {@code io_uring_setup},
     *         {@code mmap} or {@code eventfd} and the errno
     */
    @Override
    public IoHandler newHandler() throws IOException {
        String missing = unavailableReason();
        if (missing != null) {
            throw new IOException("io_uring cannot be used: " + missing);
        }
        return new IoUringIoHandler(IoUringIoHandler.setupFlags(support().setupFlags()));
    }

    @Override
    public String toString() {
        return "io_uring";
    }
}
