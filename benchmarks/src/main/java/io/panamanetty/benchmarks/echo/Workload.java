package io.panamanetty.benchmarks.echo;

import java.time.Duration;

/**
 * One measured exchange pattern: {@code connections} connections each echo
 * {@code messagesPerConnection} messages of {@code payload} bytes, with up to
 * {@code window} of them in flight at once. A window of 1 is request/response, where
 * every message's round-trip time is recorded; a larger window is pipelining, measured
 * as throughput. {@code timeLimit} bounds the exchange however slow the server is.
 *
 * @param id short name, used in the smoke test and file names
 * @param title what the report calls it
 * @param payload message size in bytes
 * @param connections concurrent connections
 * @param window messages in flight per connection
 * @param messagesPerConnection messages each connection sends (and checks)
 * @param timeLimit the exchange stops here even if unfinished (reported as such)
 */
record Workload(String id, String title, int payload, int connections, int window,
                int messagesPerConnection, Duration timeLimit) {

    Workload {
        if (payload < 1 || connections < 1 || window < 1 || messagesPerConnection < 1) {
            throw new IllegalArgumentException("workload " + id + ": sizes and counts must be positive");
        }
    }

    /** A request/response workload; every round-trip time is recorded. */
    static Workload roundTrip(int payload, int connections, int messagesPerConnection, Duration timeLimit) {
        String who = connections == 1 ? "1 connection" : connections + " connections";
        return new Workload("rtt-" + payload + "b-" + connections + "c",
                payload + " B, " + who, payload, connections, 1, messagesPerConnection, timeLimit);
    }

    /** A pipelined workload, measured as throughput. */
    static Workload pipelined(int payload, int connections, int window, int messagesPerConnection,
                              Duration timeLimit) {
        return new Workload("tput-" + payload + "b-" + connections + "c",
                payload + " B, " + connections + " connections x " + window + " in flight",
                payload, connections, window, messagesPerConnection, timeLimit);
    }

    /** True for request/response (round-trip times recorded). */
    boolean isRoundTrip() {
        return window == 1;
    }

    /** Messages the whole workload sends when it is not cut short. */
    long totalMessages() {
        return (long) connections * messagesPerConnection;
    }

    /** The same pattern with {@code messagesPerConnection} scaled by {@code factor} (at least 1). */
    Workload scaled(double factor) {
        int messages = Math.max(1, (int) Math.round(messagesPerConnection * factor));
        return new Workload(id, title, payload, connections, window, messages, timeLimit);
    }
}
