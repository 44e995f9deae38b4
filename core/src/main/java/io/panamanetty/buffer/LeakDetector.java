package io.panamanetty.buffer;

import java.lang.ref.Cleaner;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * Reports buffers that were garbage-collected while still referenced: memory that nobody
 * can release any more. It samples: a tracked root buffer records the last hint given to
 * {@link Buffer#touch(Object)} and, when stacks are being recorded, where it was
 * allocated (a stack trace); if its memory (shared with its views) becomes unreachable
 * before its reference count drops to 0, the leak is logged at {@code ERROR} through
 * {@code System.getLogger("io.panamanetty.buffer.LeakDetector")}:
 * <pre>
 * LEAK: a Buffer was garbage-collected without release(); allocated at: &lt;stack&gt;, last touched: &lt;hint&gt;
 * </pre>
 * The system property {@value #PROPERTY} sets the level for the process: {@code disabled},
 * {@code sampled} (the default: one root buffer in {@value #SAMPLING_INTERVAL}) or
 * {@code paranoid} (every buffer, with its stack, at a real cost). An untracked buffer
 * costs one random draw; a tracked one a {@link Cleaner} registration, which never keeps
 * the buffer reachable. The leaked memory is not freed: it stays counted in
 * {@link BufferStatistics}, which remain the exact check for tests.
 *
 * <p>Where Netty records a stack for every sampled buffer, the sampled level here records
 * none until it has seen a leak, and from then on records one for every buffer it
 * tracks: detection is as frequent as before, but a program that does not leak no longer
 * pays a stack walk (about 2 µs) on one allocation in {@value #SAMPLING_INTERVAL}, which
 * showed as a longer 99th-percentile round trip in the echo benchmark. The first report
 * says that the stack was not recorded; the next ones say where.
 */
final class LeakDetector {
    /** The system property choosing the process-wide level. */
    static final String PROPERTY = "io.panamanetty.leakDetection";
    /** In sampled mode, one buffer in this many is tracked (a power of two). */
    static final int SAMPLING_INTERVAL = 128;

    private static final System.Logger LOGGER = System.getLogger("io.panamanetty.buffer.LeakDetector");
    private static final LeakDetector GLOBAL = new LeakDetector(
            Level.parse(System.getProperty(PROPERTY, "sampled")), null);

    /** How many buffers are tracked. */
    enum Level {
        /** None. */
        DISABLED,
        /** One root buffer in {@link #SAMPLING_INTERVAL}. */
        SAMPLED,
        /** Every root buffer. */
        PARANOID;

        static Level parse(String value) {
            try {
                return valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                LOGGER.log(System.Logger.Level.WARNING, "unknown " + PROPERTY + " '" + value
                        + "' (expected: disabled, sampled or paranoid); using sampled");
                return SAMPLED;
            }
        }
    }

    private final Level level;
    /** A buffer is tracked when a random int ANDed with this is 0; negative: never. */
    private final int mask;
    private final Consumer<String> listener;
    /** True when trackers record their allocation stack: always when paranoid, after the first leak when sampled. */
    private volatile boolean recordStacks;

    /**
     * A detector of its own level, whose reports also go to {@code listener} (if not null),
     * on the cleaner's thread; for tests.
     */
    LeakDetector(Level level, Consumer<String> listener) {
        this.level = level;
        this.mask = switch (level) {
            case DISABLED -> -1;
            case SAMPLED -> SAMPLING_INTERVAL - 1;
            case PARANOID -> 0;
        };
        this.listener = listener;
        this.recordStacks = level == Level.PARANOID;
    }

    /** {@return the process-wide detector, whose level is the system property {@value #PROPERTY}} */
    static LeakDetector global() {
        return GLOBAL;
    }

    Level level() {
        return level;
    }

    /**
     * Decides whether to track {@code memory}, a root buffer's memory just allocated.
     *
     * @return its tracker, or null if it is not tracked
     */
    Tracker track(Object memory) {
        int m = mask;
        if (m < 0 || (m != 0 && (ThreadLocalRandom.current().nextInt() & m) != 0)) {
            return null;
        }
        return new Tracker(this, memory, recordStacks ? new Throwable("allocated here") : null);
    }

    private void report(Tracker tracker) {
        recordStacks = true;   // a leak was seen: say where the next ones come from
        String where = tracker.allocation == null
                ? "(not recorded: the sampled level records allocation stacks once it has seen a leak, so the"
                        + " next report says where; " + PROPERTY + "=paranoid records every buffer's)"
                : formatStack(tracker.allocation.getStackTrace());
        String message = "LEAK: a Buffer was garbage-collected without release(); allocated at: "
                + where + ", last touched: " + (tracker.hint == null ? "never" : tracker.hint);
        LOGGER.log(System.Logger.Level.ERROR, message);
        if (listener != null) {
            listener.accept(message);
        }
    }

    /** The stack of the allocation, without the frames of the buffer's and the tracker's construction. */
    private static String formatStack(StackTraceElement[] frames) {
        int first = 0;
        while (first < frames.length - 1 && isConstructionFrame(frames[first])) {
            first++;
        }
        StringBuilder stack = new StringBuilder();
        for (int i = first; i < frames.length; i++) {
            stack.append("\n\tat ").append(frames[i]);
        }
        return stack.toString();
    }

    private static boolean isConstructionFrame(StackTraceElement frame) {
        String name = frame.getClassName();
        String detector = LeakDetector.class.getName();
        return name.equals(detector) || name.startsWith(detector + "$")   // not LeakDetectorTest, say
                || name.equals(SharedMemory.class.getName())
                || (name.equals(Buffer.class.getName())
                        && (frame.getMethodName().equals("<init>") || frame.getMethodName().equals("reincarnate")));
    }

    /**
     * The record of one tracked buffer, and the {@link Cleaner} action that reports it if
     * its memory becomes unreachable unreleased. It holds no reference to the buffer.
     */
    static final class Tracker implements Runnable {
        private final LeakDetector detector;
        /** Where the buffer was allocated, or null when stacks were not being recorded. */
        private final Throwable allocation;
        private final Cleaner.Cleanable cleanable;
        private volatile String hint;
        private volatile boolean released;

        private Tracker(LeakDetector detector, Object memory, Throwable allocation) {
            this.detector = detector;
            this.allocation = allocation;
            this.cleanable = PoolArena.CLEANER.register(memory, this);
        }

        /** Records the latest hint, as text, so that the hint itself cannot keep the buffer alive. */
        void touch(Object hint) {
            this.hint = String.valueOf(hint);
        }

        /** Marks the buffer released; nothing will be reported. */
        void close() {
            released = true;
            cleanable.clean();
        }

        /** Run by the cleaner when the memory became unreachable, or by {@link #close()}. */
        @Override
        public void run() {
            if (!released) {
                detector.report(this);
            }
        }
    }
}
