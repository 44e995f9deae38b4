package io.panamanetty.bindings;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * What io_uring offers in this process, found by asking the kernel: whether a ring can be
 * created at all (and if not, why, in words fit for a log line), the opcodes
 * {@code IORING_REGISTER_PROBE} reports, the {@code IORING_FEAT_*} bits of
 * {@code io_uring_params.features}, and the setup flags the kernel accepts (tried one by
 * one on small rings: an unknown flag or a refused combination answers EINVAL).
 *
 * <p>{@link #detect()} creates and closes a few rings of two entries, so it is for start-up,
 * not per connection; it leaves nothing open.
 */
public final class IoUringSupport {
    private static final Path DISABLED_SYSCTL = Path.of("/proc/sys/kernel/io_uring_disabled");

    /** The setup flags probed, each with the flags it needs alongside. */
    private static final int[][] SETUP_FLAGS = {
            {IoUring.IORING_SETUP_CQSIZE, 0},
            {IoUring.IORING_SETUP_CLAMP, 0},
            {IoUring.IORING_SETUP_SUBMIT_ALL, 0},
            {IoUring.IORING_SETUP_COOP_TASKRUN, 0},
            {IoUring.IORING_SETUP_TASKRUN_FLAG, IoUring.IORING_SETUP_COOP_TASKRUN},
            {IoUring.IORING_SETUP_SINGLE_ISSUER, 0},
            {IoUring.IORING_SETUP_DEFER_TASKRUN, IoUring.IORING_SETUP_SINGLE_ISSUER},
            {IoUring.IORING_SETUP_NO_SQARRAY, 0},
    };

    private final String unavailableReason;
    private final int features;
    private final BitSet opcodes;
    private final int lastOpcode;
    private final int setupFlags;
    private final boolean cancelByFd;
    /** The errno io_uring_setup answered, if it refused; 0 otherwise. */
    private int refusalErrno;

    private IoUringSupport(String unavailableReason, int features, BitSet opcodes, int lastOpcode, int setupFlags,
                           boolean cancelByFd) {
        this.cancelByFd = cancelByFd;
        this.unavailableReason = unavailableReason;
        this.features = features;
        this.opcodes = opcodes;
        this.lastOpcode = lastOpcode;
        this.setupFlags = setupFlags;
    }

    /** Asks the kernel (on the calling thread; rings are created and closed again). */
    public static IoUringSupport detect() {
        IoUringRing ring;
        try {
            ring = IoUringRing.open(2, 0, 0);
        } catch (NativeIoException e) {
            IoUringSupport refused = new IoUringSupport(refusal(e), 0, new BitSet(), -1, 0, false);
            refused.refusalErrno = e.errno();
            return refused;
        }
        BitSet opcodes = new BitSet();
        boolean cancelByFd;
        int lastOpcode;
        int features;
        try (ring; Arena arena = Arena.ofConfined()) {
            features = ring.features();
            MemorySegment probe = arena.allocate(IoUringProbe.probeSize(), 8);
            int probed = IoUringProbe.probe(ring.fd(), probe);
            if (probed < 0) {
                return new IoUringSupport("io_uring_register(IORING_REGISTER_PROBE) failed: "
                        + Errno.symbol(-probed) + " (" + Errno.strerror(-probed) + "): the kernel is older than 5.6",
                        features, opcodes, -1, 0, false);
            }
            lastOpcode = IoUringProbe.lastOp(probe);
            for (int op = 0; op < IoUringProbe.opsLength(probe); op++) {
                if (IoUringProbe.supports(probe, op)) {
                    opcodes.set(op);
                }
            }
            cancelByFd = cancelsByFd(ring);
        }
        return new IoUringSupport(null, features, opcodes, lastOpcode, acceptedSetupFlags(), cancelByFd);
    }

    /**
     * Whether ASYNC_CANCEL takes IORING_ASYNC_CANCEL_FD (Linux 5.19): tried on the ring's own
     * fd, where nothing is pending: {@code -ENOENT} if the flag is known, {@code -EINVAL} if not.
     */
    private static boolean cancelsByFd(IoUringRing ring) {
        long sqe = ring.nextSqe();
        IoUringSqe.prepare(ring.sqes(), sqe, IoUringSqe.IORING_OP_ASYNC_CANCEL, ring.fd(), 0, 0, 0, 0);
        IoUringSqe.setOpFlags(ring.sqes(), sqe, IoUringSqe.IORING_ASYNC_CANCEL_FD | IoUringSqe.IORING_ASYNC_CANCEL_ALL);
        if (ring.submitAndWait(1) != 1) {
            return false;
        }
        int[] result = {-Errno.EINVAL};
        ring.reap((userData, res, flags) -> result[0] = res, 1);
        return result[0] != -Errno.EINVAL;
    }

    /** Tries each flag on a bare ring (set up and closed again, never mapped); never throws. */
    private static int acceptedSetupFlags() {
        int accepted = 0;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment params = arena.allocate(IoUringParams.IO_URING_PARAMS);
            for (int[] flag : SETUP_FLAGS) {
                int cq = (flag[0] & IoUring.IORING_SETUP_CQSIZE) != 0 ? 4 : 0;
                IoUringParams.prepare(params, flag[0] | flag[1], cq);
                int fd = IoUring.setup(2, params);
                if (fd >= 0) {
                    accepted |= flag[0];
                    FileIo.close(fd);
                }
                // EINVAL: not known, or not in this combination. Anything else (out of
                // descriptors or memory) counts as not accepted too: fewer flags still work.
            }
        }
        return accepted;
    }

    /** The reason a ring cannot be created, as one sentence naming the cause. */
    private static String refusal(NativeIoException e) {
        String base = e.getMessage();
        return switch (e.errno()) {
            case Errno.EPERM -> {
                String sysctl = disabledSysctl();
                yield base + ": " + (sysctl == null || sysctl.equals("0")
                        ? "refused by a seccomp filter (as Docker's default profile does) or a security module"
                        : "io_uring is disabled by the sysctl kernel.io_uring_disabled = " + sysctl);
            }
            case Errno.ENOSYS -> base + ": this kernel has no io_uring (or a seccomp filter hides it)";
            default -> base;
        };
    }

    private static String disabledSysctl() {
        try {
            return Files.readString(DISABLED_SYSCTL).strip();
        } catch (IOException | SecurityException e) {
            return null;
        }
    }

    /** Whether a ring could be created and probed. */
    public boolean available() {
        return unavailableReason == null;
    }

    /** Why io_uring cannot be used here, or null if it can. */
    public String unavailableReason() {
        return unavailableReason;
    }

    /**
     * Whether the refusal may go away (out of descriptors or memory: EMFILE, ENFILE, ENOMEM,
     * EAGAIN), so asking again later is worth it; false when io_uring is available, and for
     * a lasting refusal (EPERM, ENOSYS, a missing feature).
     */
    public boolean refusalIsTransient() {
        return refusalErrno == Errno.EMFILE || refusalErrno == Errno.ENFILE || refusalErrno == Errno.ENOMEM
                || refusalErrno == Errno.EAGAIN;
    }

    /** The kernel's {@code IORING_FEAT_*} bits. */
    public int features() {
        return features;
    }

    /** Whether the kernel has all the {@code IORING_FEAT_*} bits of {@code mask}. */
    public boolean hasFeatures(int mask) {
        return (features & mask) == mask;
    }

    /** Whether the kernel supports opcode {@code op} ({@code IORING_OP_*}). */
    public boolean supports(int op) {
        return opcodes.get(op);
    }

    /** The highest opcode the kernel knows ({@code last_op} of the probe), or -1. */
    public int lastOpcode() {
        return lastOpcode;
    }

    /** The {@code IORING_SETUP_*} flags of those probed that the kernel accepts. */
    public int setupFlags() {
        return setupFlags;
    }

    /** Whether ASYNC_CANCEL can match every request on a descriptor (IORING_ASYNC_CANCEL_FD, Linux 5.19). */
    public boolean cancelsByFd() {
        return cancelByFd;
    }

    /**
     * Null if the kernel has all of {@code features} and {@code ops}; else the reason,
     * naming the first thing missing (or why io_uring is unavailable).
     */
    public String missing(int requiredFeatures, int... ops) {
        if (!available()) {
            return unavailableReason;
        }
        if (!hasFeatures(requiredFeatures)) {
            return "the kernel lacks io_uring features " + names(requiredFeatures & ~features, "IORING_FEAT_");
        }
        for (int op : ops) {
            if (!supports(op)) {
                return "the kernel lacks the io_uring operation " + IoUringSqe.opcodeName(op);
            }
        }
        return null;
    }

    /** One line: the features, setup flags and opcodes found, or the reason io_uring is unavailable. */
    @Override
    public String toString() {
        if (!available()) {
            return "io_uring unavailable: " + unavailableReason;
        }
        List<String> ops = new ArrayList<>();
        opcodes.stream().forEach(op -> ops.add(IoUringSqe.opcodeName(op)));
        return "io_uring: features " + names(features, "IORING_FEAT_")
                + "; setup flags " + names(setupFlags, "IORING_SETUP_")
                + (cancelByFd ? "; cancel by fd" : "; no cancel by fd")
                + "; " + opcodes.cardinality() + " opcodes (last " + lastOpcode + "): " + String.join(" ", ops);
    }

    /** The names of the bits of {@code mask} among {@link IoUring}'s constants starting with {@code prefix}. */
    private static String names(int mask, String prefix) {
        List<String> names = new ArrayList<>();
        int unnamed = mask;
        for (var field : IoUring.class.getFields()) {
            if (field.getName().startsWith(prefix) && field.getType() == int.class) {
                try {
                    int bit = field.getInt(null);
                    if (Integer.bitCount(bit) == 1 && (mask & bit) != 0) {
                        names.add(field.getName().substring(prefix.length()));
                        unnamed &= ~bit;
                    }
                } catch (IllegalAccessException e) {
                    throw new AssertionError(e);
                }
            }
        }
        if (unnamed != 0) {
            names.add("0x" + Integer.toHexString(unnamed));
        }
        return String.join(" ", names);
    }
}
