package io.panamanetty.bindings;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link IoUringSupport} on this kernel: what the probe, the params and trying setup flags
 * report. Fails (never skips) under {@code CI=true}, whose machine has io_uring.
 */
@ExtendWith(NoFdLeaks.class)
@Timeout(60)
class IoUringSupportTest {

    @Test
    void theKernelReportsWhatTheTransportNeeds() {
        IoUringSupport support = IoUringAvailable.require();
        System.out.println("IoUringSupportTest: " + support);
        assertTrue(support.available());
        assertNull(support.unavailableReason());
        for (int op : new int[] {IoUringSqe.IORING_OP_NOP, IoUringSqe.IORING_OP_READ, IoUringSqe.IORING_OP_WRITE,
                IoUringSqe.IORING_OP_READV, IoUringSqe.IORING_OP_WRITEV, IoUringSqe.IORING_OP_SEND,
                IoUringSqe.IORING_OP_RECV, IoUringSqe.IORING_OP_SENDMSG, IoUringSqe.IORING_OP_RECVMSG,
                IoUringSqe.IORING_OP_ACCEPT, IoUringSqe.IORING_OP_CONNECT, IoUringSqe.IORING_OP_CLOSE,
                IoUringSqe.IORING_OP_TIMEOUT, IoUringSqe.IORING_OP_LINK_TIMEOUT, IoUringSqe.IORING_OP_ASYNC_CANCEL,
                IoUringSqe.IORING_OP_POLL_ADD, IoUringSqe.IORING_OP_MSG_RING, IoUringSqe.IORING_OP_PROVIDE_BUFFERS}) {
            assertTrue(support.supports(op), IoUringSqe.opcodeName(op));
        }
        assertTrue(support.lastOpcode() >= IoUringSqe.IORING_OP_SENDMSG_ZC, "last op " + support.lastOpcode());
        assertTrue(support.hasFeatures(IoUring.IORING_FEAT_SINGLE_MMAP | IoUring.IORING_FEAT_NODROP
                | IoUring.IORING_FEAT_FAST_POLL | IoUring.IORING_FEAT_EXT_ARG | IoUring.IORING_FEAT_CQE_SKIP));
        int wanted = IoUring.IORING_SETUP_SINGLE_ISSUER | IoUring.IORING_SETUP_DEFER_TASKRUN
                | IoUring.IORING_SETUP_COOP_TASKRUN | IoUring.IORING_SETUP_SUBMIT_ALL | IoUring.IORING_SETUP_CQSIZE;
        assertEquals(wanted, support.setupFlags() & wanted, support.toString());
        assertNull(support.missing(IoUring.IORING_FEAT_NODROP, IoUringSqe.IORING_OP_ACCEPT));
        assertTrue(support.cancelsByFd(), "IORING_ASYNC_CANCEL_FD (5.19)");
    }

    @Test
    void aMissingOpcodeOrFeatureIsNamed() {
        IoUringSupport support = IoUringAvailable.require();
        assertEquals("the kernel lacks the io_uring operation op 255", support.missing(0, 255));
        int unknownFeature = 1 << 30;
        assertEquals("the kernel lacks io_uring features 0x40000000", support.missing(unknownFeature));
    }
}
