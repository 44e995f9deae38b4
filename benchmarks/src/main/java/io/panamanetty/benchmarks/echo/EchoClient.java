package io.panamanetty.benchmarks.echo;

import java.io.IOException;

/**
 * A load generator: drives one {@link Workload} against an echo server, checking every
 * echoed byte, and says what it measured. A wrong echo throws {@link EchoMismatchException}.
 */
interface EchoClient extends AutoCloseable {
    /** Runs {@code workload} against the echo server at {@code server} (loopback TCP or a Unix socket). */
    WorkloadResult run(EchoEndpoint server, Workload workload) throws IOException;

    @Override
    void close() throws IOException;

    /** Which client drives the load ({@code --client}). */
    enum Kind {
        /** The C load generator ({@code loadgen.c}): the default, cheapest on the shared CPU. */
        C("c", "the C load generator (one thread, epoll)"),
        /** The Java one ({@link LoadGenerator}): one JDK NIO selector thread in the harness JVM. */
        JAVA("java", "one Java thread with a JDK NIO selector in the harness JVM");

        private final String id;
        private final String description;

        Kind(String id, String description) {
            this.id = id;
            this.description = description;
        }

        /** The name on the command line. */
        String id() {
            return id;
        }

        /** How the report describes it. */
        String description() {
            return description;
        }

        /** A new client of this kind. */
        EchoClient open() throws IOException {
            return this == C ? new NativeLoadGenerator() : new LoadGenerator();
        }

        /** The kind named {@code id}. */
        static Kind byId(String id) {
            for (Kind kind : values()) {
                if (kind.id.equals(id)) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("unknown client '" + id + "'; known: c, java");
        }
    }
}
