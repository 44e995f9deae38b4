package io.panamanetty.channel.internal;

import java.lang.System.Logger.Level;
import java.util.function.Supplier;

/**
 * Logging that can never take down the caller: an event loop logs through this, because
 * a logger may fail (out of file descriptors while loading time-zone data, a broken
 * handler), and such a failure must not end the loop.
 */
public final class SafeLog {
    private SafeLog() {
    }

    /**
     * Reads the default time zone now: log records are stamped with it, its data is read
     * from a file on first use, and a failure then (out of descriptors) would break
     * logging for the whole JVM.
     */
    public static void preloadTimeZone() {
        java.util.TimeZone.getDefault();
        java.time.ZoneId.systemDefault();
    }

    /** Logs at {@code DEBUG} level; never throws. */
    public static void debug(Class<?> source, Supplier<String> message) {
        log(source, Level.DEBUG, message, null);
    }

    /** Logs at {@code WARNING} level; never throws. */
    public static void warning(Class<?> source, Supplier<String> message, Throwable cause) {
        log(source, Level.WARNING, message, cause);
    }

    /** Logs at {@code ERROR} level; never throws. */
    public static void error(Class<?> source, Supplier<String> message, Throwable cause) {
        log(source, Level.ERROR, message, cause);
    }

    private static void log(Class<?> source, Level level, Supplier<String> message, Throwable cause) {
        try {
            System.Logger logger = System.getLogger(source.getName());
            if (!logger.isLoggable(level)) {
                return;
            }
            if (cause == null) {
                logger.log(level, message);
            } else {
                logger.log(level, message, cause);
            }
        } catch (Throwable loggingFailed) {
            try {
                System.err.println(level + " " + source.getSimpleName() + ": " + message.get()
                        + (cause == null ? "" : " (" + cause + ")") + " [logging failed: " + loggingFailed + "]");
            } catch (Throwable ignored) {
                // nowhere left to report it
            }
        }
    }
}
