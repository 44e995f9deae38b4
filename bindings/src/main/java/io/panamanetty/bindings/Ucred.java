package io.panamanetty.bindings;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * {@code struct ucred}: a process's id and its user and group ids, as {@code SO_PEERCRED}
 * reports them for a Unix socket's peer (and as {@code SCM_CREDENTIALS} carries them).
 *
 * <pre>{@code
 * struct ucred { pid_t pid; uid_t uid; gid_t gid; };
 * }</pre>
 *
 * @param pid the process id ({@code pid_t}, signed)
 * @param uid the user id ({@code uid_t}, unsigned: read with {@link Integer#toUnsignedLong})
 * @param gid the group id ({@code gid_t}, unsigned)
 */
public record Ucred(int pid, int uid, int gid) {
    /** {@code SO_PEERCRED}: at {@link Sockets#SOL_SOCKET}, read-only, a {@code struct ucred}. */
    public static final int SO_PEERCRED = 17;

    /** {@code struct ucred}: 12 bytes. */
    public static final StructLayout UCRED = MemoryLayout.structLayout(
            ValueLayout.JAVA_INT.withName("pid"),
            ValueLayout.JAVA_INT.withName("uid"),
            ValueLayout.JAVA_INT.withName("gid"))
            .withName("ucred");

    private static final long PID_OFFSET = UCRED.byteOffset(groupElement("pid"));
    private static final long UID_OFFSET = UCRED.byteOffset(groupElement("uid"));
    private static final long GID_OFFSET = UCRED.byteOffset(groupElement("gid"));

    /** Reads the {@code struct ucred} at the start of {@code src}. */
    public static Ucred read(MemorySegment src) {
        return new Ucred(src.get(ValueLayout.JAVA_INT, PID_OFFSET), src.get(ValueLayout.JAVA_INT, UID_OFFSET),
                src.get(ValueLayout.JAVA_INT, GID_OFFSET));
    }

    /** Writes this as a {@code struct ucred} at the start of {@code dst}. */
    public void write(MemorySegment dst) {
        dst.set(ValueLayout.JAVA_INT, PID_OFFSET, pid);
        dst.set(ValueLayout.JAVA_INT, UID_OFFSET, uid);
        dst.set(ValueLayout.JAVA_INT, GID_OFFSET, gid);
    }
}
