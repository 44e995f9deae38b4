package io.panamanetty.transport.uring;

import io.panamanetty.bindings.FileIo;
import io.panamanetty.bindings.IoUringSqe;
import io.panamanetty.bindings.Memory;

import java.util.ArrayList;
import java.util.List;

/**
 * A test {@link IoUringHandle}: one end of a socket pair receiving into a malloc'd buffer,
 * recording every completion it is handed.
 */
final class RecvHandle implements IoUringHandle {
    static final int RECV = 1;
    static final int SIZE = 64;

    final int fd;
    final int peer;
    final long buffer = Memory.malloc(SIZE);
    final List<String> completions = new ArrayList<>();
    IoUringRegistration registration;
    boolean closedNow;
    /** Set: {@link #complete} throws it (a bug in a channel's callback). */
    RuntimeException failure;
    private boolean released;

    RecvHandle(int fd, int peer) {
        this.fd = fd;
        this.peer = peer;
    }

    /** Queues a receive of up to {@link #SIZE} bytes. */
    void postRecv(IoUringIoHandler handler) {
        long sqe = handler.submitter().sqe();
        IoUringSqe.prepare(handler.submitter().sqes(), sqe, IoUringSqe.IORING_OP_RECV, fd, buffer, SIZE, 0,
                registration.userData(RECV));
        registration.started();
    }

    /** Closes both descriptors and frees the buffer: what a channel's whenQuiet does. */
    void release() {
        if (released) {
            throw new AssertionError("released twice: " + this);
        }
        released = true;
        FileIo.close(fd);
        FileIo.close(peer);
        Memory.free(buffer);
    }

    boolean isReleased() {
        return released;
    }

    @Override
    public int fd() {
        return fd;
    }

    @Override
    public void complete(int op, int res, int flags) {
        completions.add("op " + op + " res " + res + " flags " + flags);
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public void closeNow() {
        closedNow = true;
    }

    @Override
    public void ioFailed(Throwable cause) {
        completions.add("failed " + cause.getMessage());
    }

    @Override
    public String toString() {
        return "RecvHandle(fd " + fd + ")";
    }
}
