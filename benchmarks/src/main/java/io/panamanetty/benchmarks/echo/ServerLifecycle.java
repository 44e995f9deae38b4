package io.panamanetty.benchmarks.echo;

import java.io.IOException;
import java.io.InputStream;

/**
 * The contract between the harness and a server program: an optional worker count as
 * the first argument, {@code PORT <n>} on standard output when ready (or, for a server
 * the harness starts with {@code --unix PATH}, {@code UNIX <PATH>} once it listens on that
 * Unix socket), and shutdown when standard input reaches end of file (the harness closes
 * it, or dies).
 */
public final class ServerLifecycle {
    /** The first line a ready server prints; the harness waits for it. */
    static final String PORT_PREFIX = "PORT ";
    /** The first line a ready server on a Unix socket prints, followed by its path. */
    static final String UNIX_PREFIX = "UNIX ";
    /** Loopback only: the harness never listens on or sends to another address. */
    public static final String HOST = "127.0.0.1";

    private ServerLifecycle() {
    }

    /** The worker-thread count: the argument after {@code --workers}, else 1. */
    static int workers(String[] args) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("--workers")) {
                int n = Integer.parseInt(args[i + 1]);
                if (n < 1) {
                    throw new IllegalArgumentException("--workers must be at least 1: " + n);
                }
                return n;
            }
        }
        return 1;
    }

    /** Tells the harness the server is ready. */
    public static void announce(int port) {
        System.out.println(PORT_PREFIX + port);
        System.out.flush();
    }

    /** Tells the harness the server is ready on the Unix socket {@code path}. */
    public static void announceUnix(String path) {
        System.out.println(UNIX_PREFIX + path);
        System.out.flush();
    }

    /**
     * The Unix socket path after {@code --unix}, or null for none (the server listens on TCP).
     *
     * @throws IllegalArgumentException if {@code --unix} is last, with no path after it
     */
    static String unixPath(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--unix")) {
                if (i + 1 == args.length) {
                    throw new IllegalArgumentException("--unix needs a socket path");
                }
                return args[i + 1];
            }
        }
        return null;
    }

    /** Blocks until standard input is closed: the harness's stop signal. */
    public static void awaitStop() {
        byte[] sink = new byte[256];
        try (InputStream in = System.in) {
            while (in.read(sink) >= 0) {
                // nothing is expected on stdin; end of file means stop
            }
        } catch (IOException e) {
            // a broken pipe means the harness is gone: stop as well
        }
    }
}
