/*
 * io_uring (issue 18): IoUring, IoUringParams, IoUringSqe, IoUringCqe, IoUringBufRing,
 * IoUringProbe and MemoryMap, from <linux/io_uring.h>, <sys/mman.h> and <sys/syscall.h>,
 * in the format of conformance.c (see there).
 *
 * The installed headers may be older than the running kernel (Debian 12: 6.1's headers
 * under a 6.18 kernel). A macro newer than the headers is guarded: when the header lacks
 * it, the line says "unchecked const NAME 0" and HeaderConformanceTest lists the Java
 * value as unchecked instead of comparing it. The enums (IORING_OP_*, IORING_REGISTER_*)
 * cannot be tested with #ifdef, so only their members present in 6.1 are bound.
 */
#define _GNU_SOURCE
#include <linux/io_uring.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>

#define CONST(name) printf("const %s %lld\n", #name, (long long) (name))
#define TYPE(tag, type) \
    printf("size %s %zu\nalign %s %zu\n", tag, sizeof(type), tag, _Alignof(type))
#define FIELD(tag, type, field) \
    printf("offset %s.%s %zu\nfsize %s.%s %zu\n", tag, #field, offsetof(type, field), \
           tag, #field, sizeof(((type *) 0)->field))
#define UNCHECKED(name) printf("unchecked const %s 0\n", #name)

static void syscalls_and_setup(void) {
    printf("const NR_IO_URING_SETUP %lld\n", (long long) SYS_io_uring_setup);
    printf("const NR_IO_URING_ENTER %lld\n", (long long) SYS_io_uring_enter);
    printf("const NR_IO_URING_REGISTER %lld\n", (long long) SYS_io_uring_register);

    CONST(IORING_SETUP_IOPOLL); CONST(IORING_SETUP_SQPOLL); CONST(IORING_SETUP_SQ_AFF);
    CONST(IORING_SETUP_CQSIZE); CONST(IORING_SETUP_CLAMP); CONST(IORING_SETUP_ATTACH_WQ);
    CONST(IORING_SETUP_R_DISABLED); CONST(IORING_SETUP_SUBMIT_ALL); CONST(IORING_SETUP_COOP_TASKRUN);
    CONST(IORING_SETUP_TASKRUN_FLAG); CONST(IORING_SETUP_SQE128); CONST(IORING_SETUP_CQE32);
    CONST(IORING_SETUP_SINGLE_ISSUER); CONST(IORING_SETUP_DEFER_TASKRUN);
#ifdef IORING_SETUP_NO_MMAP
    CONST(IORING_SETUP_NO_MMAP);
#else
    UNCHECKED(IORING_SETUP_NO_MMAP);
#endif
#ifdef IORING_SETUP_REGISTERED_FD_ONLY
    CONST(IORING_SETUP_REGISTERED_FD_ONLY);
#else
    UNCHECKED(IORING_SETUP_REGISTERED_FD_ONLY);
#endif
#ifdef IORING_SETUP_NO_SQARRAY
    CONST(IORING_SETUP_NO_SQARRAY);
#else
    UNCHECKED(IORING_SETUP_NO_SQARRAY);
#endif

    CONST(IORING_FEAT_SINGLE_MMAP); CONST(IORING_FEAT_NODROP); CONST(IORING_FEAT_SUBMIT_STABLE);
    CONST(IORING_FEAT_RW_CUR_POS); CONST(IORING_FEAT_CUR_PERSONALITY); CONST(IORING_FEAT_FAST_POLL);
    CONST(IORING_FEAT_POLL_32BITS); CONST(IORING_FEAT_SQPOLL_NONFIXED); CONST(IORING_FEAT_EXT_ARG);
    CONST(IORING_FEAT_NATIVE_WORKERS); CONST(IORING_FEAT_RSRC_TAGS); CONST(IORING_FEAT_CQE_SKIP);
    CONST(IORING_FEAT_LINKED_FILE);
#ifdef IORING_FEAT_REG_REG_RING
    CONST(IORING_FEAT_REG_REG_RING);
#else
    UNCHECKED(IORING_FEAT_REG_REG_RING);
#endif
#ifdef IORING_FEAT_RECVSEND_BUNDLE
    CONST(IORING_FEAT_RECVSEND_BUNDLE);
#else
    UNCHECKED(IORING_FEAT_RECVSEND_BUNDLE);
#endif
#ifdef IORING_FEAT_MIN_TIMEOUT
    CONST(IORING_FEAT_MIN_TIMEOUT);
#else
    UNCHECKED(IORING_FEAT_MIN_TIMEOUT);
#endif
#ifdef IORING_FEAT_RW_ATTR
    CONST(IORING_FEAT_RW_ATTR);
#else
    UNCHECKED(IORING_FEAT_RW_ATTR);
#endif
#ifdef IORING_FEAT_NO_IOWAIT
    CONST(IORING_FEAT_NO_IOWAIT);
#else
    UNCHECKED(IORING_FEAT_NO_IOWAIT);
#endif

    CONST(IORING_SQ_NEED_WAKEUP); CONST(IORING_SQ_CQ_OVERFLOW); CONST(IORING_SQ_TASKRUN);
    CONST(IORING_CQ_EVENTFD_DISABLED);
    CONST(IORING_ENTER_GETEVENTS); CONST(IORING_ENTER_SQ_WAKEUP); CONST(IORING_ENTER_SQ_WAIT);
    CONST(IORING_ENTER_EXT_ARG); CONST(IORING_ENTER_REGISTERED_RING);
    CONST(IORING_OFF_SQ_RING); CONST(IORING_OFF_CQ_RING); CONST(IORING_OFF_SQES);
    CONST(IORING_REGISTER_EVENTFD); CONST(IORING_UNREGISTER_EVENTFD); CONST(IORING_REGISTER_PROBE);
    CONST(IORING_REGISTER_RING_FDS); CONST(IORING_UNREGISTER_RING_FDS);
    CONST(IORING_REGISTER_PBUF_RING); CONST(IORING_UNREGISTER_PBUF_RING);
}

static void params(void) {
    TYPE("io_sqring_offsets", struct io_sqring_offsets);
    FIELD("io_sqring_offsets", struct io_sqring_offsets, head);
    FIELD("io_sqring_offsets", struct io_sqring_offsets, tail);
    FIELD("io_sqring_offsets", struct io_sqring_offsets, ring_mask);
    FIELD("io_sqring_offsets", struct io_sqring_offsets, ring_entries);
    FIELD("io_sqring_offsets", struct io_sqring_offsets, flags);
    FIELD("io_sqring_offsets", struct io_sqring_offsets, dropped);
    FIELD("io_sqring_offsets", struct io_sqring_offsets, array);
    FIELD("io_sqring_offsets", struct io_sqring_offsets, resv1);
    FIELD("io_sqring_offsets", struct io_sqring_offsets, resv2);

    TYPE("io_cqring_offsets", struct io_cqring_offsets);
    FIELD("io_cqring_offsets", struct io_cqring_offsets, head);
    FIELD("io_cqring_offsets", struct io_cqring_offsets, tail);
    FIELD("io_cqring_offsets", struct io_cqring_offsets, ring_mask);
    FIELD("io_cqring_offsets", struct io_cqring_offsets, ring_entries);
    FIELD("io_cqring_offsets", struct io_cqring_offsets, overflow);
    FIELD("io_cqring_offsets", struct io_cqring_offsets, cqes);
    FIELD("io_cqring_offsets", struct io_cqring_offsets, flags);
    FIELD("io_cqring_offsets", struct io_cqring_offsets, resv1);
    FIELD("io_cqring_offsets", struct io_cqring_offsets, resv2);

    TYPE("io_uring_params", struct io_uring_params);
    FIELD("io_uring_params", struct io_uring_params, sq_entries);
    FIELD("io_uring_params", struct io_uring_params, cq_entries);
    FIELD("io_uring_params", struct io_uring_params, flags);
    FIELD("io_uring_params", struct io_uring_params, sq_thread_cpu);
    FIELD("io_uring_params", struct io_uring_params, sq_thread_idle);
    FIELD("io_uring_params", struct io_uring_params, features);
    FIELD("io_uring_params", struct io_uring_params, wq_fd);
    FIELD("io_uring_params", struct io_uring_params, resv);
    FIELD("io_uring_params", struct io_uring_params, sq_off);
    FIELD("io_uring_params", struct io_uring_params, sq_off.head);
    FIELD("io_uring_params", struct io_uring_params, sq_off.tail);
    FIELD("io_uring_params", struct io_uring_params, sq_off.ring_mask);
    FIELD("io_uring_params", struct io_uring_params, sq_off.ring_entries);
    FIELD("io_uring_params", struct io_uring_params, sq_off.flags);
    FIELD("io_uring_params", struct io_uring_params, sq_off.dropped);
    FIELD("io_uring_params", struct io_uring_params, sq_off.array);
    FIELD("io_uring_params", struct io_uring_params, sq_off.resv1);
    FIELD("io_uring_params", struct io_uring_params, sq_off.resv2);
    FIELD("io_uring_params", struct io_uring_params, cq_off);
    FIELD("io_uring_params", struct io_uring_params, cq_off.head);
    FIELD("io_uring_params", struct io_uring_params, cq_off.tail);
    FIELD("io_uring_params", struct io_uring_params, cq_off.ring_mask);
    FIELD("io_uring_params", struct io_uring_params, cq_off.ring_entries);
    FIELD("io_uring_params", struct io_uring_params, cq_off.overflow);
    FIELD("io_uring_params", struct io_uring_params, cq_off.cqes);
    FIELD("io_uring_params", struct io_uring_params, cq_off.flags);
    FIELD("io_uring_params", struct io_uring_params, cq_off.resv1);
    FIELD("io_uring_params", struct io_uring_params, cq_off.resv2);

    TYPE("io_uring_getevents_arg", struct io_uring_getevents_arg);
    FIELD("io_uring_getevents_arg", struct io_uring_getevents_arg, sigmask);
    FIELD("io_uring_getevents_arg", struct io_uring_getevents_arg, sigmask_sz);
    FIELD("io_uring_getevents_arg", struct io_uring_getevents_arg, pad);
    FIELD("io_uring_getevents_arg", struct io_uring_getevents_arg, ts);
}

static void sqe(void) {
    TYPE("io_uring_sqe", struct io_uring_sqe);
    FIELD("io_uring_sqe", struct io_uring_sqe, opcode);
    FIELD("io_uring_sqe", struct io_uring_sqe, flags);
    FIELD("io_uring_sqe", struct io_uring_sqe, ioprio);
    FIELD("io_uring_sqe", struct io_uring_sqe, fd);
    FIELD("io_uring_sqe", struct io_uring_sqe, off);
    FIELD("io_uring_sqe", struct io_uring_sqe, addr);
    FIELD("io_uring_sqe", struct io_uring_sqe, len);
    FIELD("io_uring_sqe", struct io_uring_sqe, rw_flags);
    FIELD("io_uring_sqe", struct io_uring_sqe, user_data);
    FIELD("io_uring_sqe", struct io_uring_sqe, buf_index);
    FIELD("io_uring_sqe", struct io_uring_sqe, personality);
    FIELD("io_uring_sqe", struct io_uring_sqe, splice_fd_in);
    FIELD("io_uring_sqe", struct io_uring_sqe, addr3);
    FIELD("io_uring_sqe", struct io_uring_sqe, __pad2);
    /* The union members the setters write under other names: same place, same size. */
    if (offsetof(struct io_uring_sqe, addr2) != offsetof(struct io_uring_sqe, off)
            || offsetof(struct io_uring_sqe, buf_group) != offsetof(struct io_uring_sqe, buf_index)
            || offsetof(struct io_uring_sqe, file_index) != offsetof(struct io_uring_sqe, splice_fd_in)
            || offsetof(struct io_uring_sqe, msg_flags) != offsetof(struct io_uring_sqe, rw_flags)
            || offsetof(struct io_uring_sqe, timeout_flags) != offsetof(struct io_uring_sqe, rw_flags)
            || offsetof(struct io_uring_sqe, accept_flags) != offsetof(struct io_uring_sqe, rw_flags)
            || offsetof(struct io_uring_sqe, cancel_flags) != offsetof(struct io_uring_sqe, rw_flags)
            || offsetof(struct io_uring_sqe, msg_ring_flags) != offsetof(struct io_uring_sqe, rw_flags)) {
        printf("union members of io_uring_sqe moved\n");   /* not three words: fails the test */
    }

    CONST(IORING_OP_NOP); CONST(IORING_OP_READV); CONST(IORING_OP_WRITEV);
    CONST(IORING_OP_POLL_ADD); CONST(IORING_OP_POLL_REMOVE); CONST(IORING_OP_SENDMSG);
    CONST(IORING_OP_RECVMSG); CONST(IORING_OP_TIMEOUT); CONST(IORING_OP_TIMEOUT_REMOVE);
    CONST(IORING_OP_ACCEPT); CONST(IORING_OP_ASYNC_CANCEL); CONST(IORING_OP_LINK_TIMEOUT);
    CONST(IORING_OP_CONNECT); CONST(IORING_OP_CLOSE); CONST(IORING_OP_READ); CONST(IORING_OP_WRITE);
    CONST(IORING_OP_SEND); CONST(IORING_OP_RECV); CONST(IORING_OP_PROVIDE_BUFFERS);
    CONST(IORING_OP_REMOVE_BUFFERS); CONST(IORING_OP_SHUTDOWN); CONST(IORING_OP_MSG_RING);
    CONST(IORING_OP_SOCKET); CONST(IORING_OP_SEND_ZC); CONST(IORING_OP_SENDMSG_ZC);

    CONST(IOSQE_FIXED_FILE); CONST(IOSQE_IO_DRAIN); CONST(IOSQE_IO_LINK); CONST(IOSQE_IO_HARDLINK);
    CONST(IOSQE_ASYNC); CONST(IOSQE_BUFFER_SELECT); CONST(IOSQE_CQE_SKIP_SUCCESS);

    CONST(IORING_ACCEPT_MULTISHOT);
    CONST(IORING_RECVSEND_POLL_FIRST); CONST(IORING_RECV_MULTISHOT); CONST(IORING_RECVSEND_FIXED_BUF);
#ifdef IORING_RECVSEND_BUNDLE
    CONST(IORING_RECVSEND_BUNDLE);
#else
    UNCHECKED(IORING_RECVSEND_BUNDLE);
#endif
    CONST(IORING_TIMEOUT_ABS); CONST(IORING_TIMEOUT_UPDATE); CONST(IORING_TIMEOUT_BOOTTIME);
    CONST(IORING_TIMEOUT_REALTIME); CONST(IORING_LINK_TIMEOUT_UPDATE); CONST(IORING_TIMEOUT_ETIME_SUCCESS);
    CONST(IORING_ASYNC_CANCEL_ALL); CONST(IORING_ASYNC_CANCEL_FD); CONST(IORING_ASYNC_CANCEL_ANY);
    CONST(IORING_POLL_ADD_MULTI);
    CONST(IORING_MSG_DATA); CONST(IORING_MSG_SEND_FD); CONST(IORING_MSG_RING_CQE_SKIP);
}

static void cqe_buffers_probe(void) {
    TYPE("io_uring_cqe", struct io_uring_cqe);
    FIELD("io_uring_cqe", struct io_uring_cqe, user_data);
    FIELD("io_uring_cqe", struct io_uring_cqe, res);
    FIELD("io_uring_cqe", struct io_uring_cqe, flags);
    CONST(IORING_CQE_F_BUFFER); CONST(IORING_CQE_F_MORE); CONST(IORING_CQE_F_SOCK_NONEMPTY);
    CONST(IORING_CQE_F_NOTIF); CONST(IORING_CQE_BUFFER_SHIFT);
#ifdef IORING_CQE_F_BUF_MORE
    CONST(IORING_CQE_F_BUF_MORE);
#else
    UNCHECKED(IORING_CQE_F_BUF_MORE);
#endif

    TYPE("io_uring_buf", struct io_uring_buf);
    FIELD("io_uring_buf", struct io_uring_buf, addr);
    FIELD("io_uring_buf", struct io_uring_buf, len);
    FIELD("io_uring_buf", struct io_uring_buf, bid);
    FIELD("io_uring_buf", struct io_uring_buf, resv);
    TYPE("io_uring_buf_ring", struct io_uring_buf_ring);
    FIELD("io_uring_buf_ring", struct io_uring_buf_ring, resv1);
    FIELD("io_uring_buf_ring", struct io_uring_buf_ring, resv2);
    FIELD("io_uring_buf_ring", struct io_uring_buf_ring, resv3);
    FIELD("io_uring_buf_ring", struct io_uring_buf_ring, tail);
    TYPE("io_uring_buf_reg", struct io_uring_buf_reg);
    FIELD("io_uring_buf_reg", struct io_uring_buf_reg, ring_addr);
    FIELD("io_uring_buf_reg", struct io_uring_buf_reg, ring_entries);
    FIELD("io_uring_buf_reg", struct io_uring_buf_reg, bgid);
    FIELD("io_uring_buf_reg", struct io_uring_buf_reg, pad);
    FIELD("io_uring_buf_reg", struct io_uring_buf_reg, resv);

    TYPE("io_uring_probe_op", struct io_uring_probe_op);
    FIELD("io_uring_probe_op", struct io_uring_probe_op, op);
    FIELD("io_uring_probe_op", struct io_uring_probe_op, resv);
    FIELD("io_uring_probe_op", struct io_uring_probe_op, flags);
    FIELD("io_uring_probe_op", struct io_uring_probe_op, resv2);
    TYPE("io_uring_probe", struct io_uring_probe);
    FIELD("io_uring_probe", struct io_uring_probe, last_op);
    FIELD("io_uring_probe", struct io_uring_probe, ops_len);
    FIELD("io_uring_probe", struct io_uring_probe, resv);
    FIELD("io_uring_probe", struct io_uring_probe, resv2);
    CONST(IO_URING_OP_SUPPORTED);
}

static void memory_map(void) {
    CONST(PROT_READ); CONST(PROT_WRITE); CONST(MAP_SHARED); CONST(MAP_PRIVATE);
    CONST(MAP_ANONYMOUS); CONST(MAP_POPULATE);
}

int main(void) {
    syscalls_and_setup();
    params();
    sqe();
    cqe_buffers_probe();
    memory_map();
    return ferror(stdout) ? 1 : 0;
}
