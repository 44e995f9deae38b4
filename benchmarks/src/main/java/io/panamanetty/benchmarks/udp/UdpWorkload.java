package io.panamanetty.benchmarks.udp;

import java.time.Duration;

/**
 * One measured UDP exchange: {@code clients} connected sockets each have
 * {@code datagramsPerClient} datagrams of {@code payload} bytes echoed, with at most
 * {@code window} of them unanswered at once. A window of 1 with one client is the
 * single-packet round trip, every datagram's time recorded; otherwise it is measured as
 * datagrams per second. {@code timeLimit} bounds the exchange however slow the server is.
 *
 * @param id short name, used in logs
 * @param title what the report calls it
 * @param payload datagram size in bytes (12 to 65,507)
 * @param clients client sockets
 * @param window datagrams in flight per client
 * @param datagramsPerClient datagrams each client sends and checks
 * @param timeLimit the exchange stops here even if unfinished (reported as such)
 */
record UdpWorkload(String id, String title, int payload, int clients, int window, int datagramsPerClient,
                   Duration timeLimit) {

    UdpWorkload {
        if (payload < 12 || clients < 1 || window < 1 || datagramsPerClient < 1) {
            throw new IllegalArgumentException("workload " + id + ": payload of at least 12 B, positive counts");
        }
    }

    /** Request/response on one client: every round-trip time is recorded. */
    static UdpWorkload roundTrip(int payload, int datagrams, Duration timeLimit) {
        return new UdpWorkload("rtt-" + payload + "b", payload + " B, 1 client, 1 in flight",
                payload, 1, 1, datagrams, timeLimit);
    }

    /** Many clients with a window in flight each, measured as datagrams per second. */
    static UdpWorkload throughput(int payload, int clients, int window, int datagramsPerClient, Duration timeLimit) {
        return new UdpWorkload("tput-" + payload + "b", payload + " B, " + clients + " clients x " + window
                + " in flight", payload, clients, window, datagramsPerClient, timeLimit);
    }

    /** True for the single-packet round trip. */
    boolean isRoundTrip() {
        return window == 1 && clients == 1;
    }

    /** Datagrams the whole workload has echoed when it is not cut short. */
    long totalDatagrams() {
        return (long) clients * datagramsPerClient;
    }

    /** A compact title for tables and charts: {@code 32 B RTT}, {@code 1200 B×8×32}. */
    String shortTitle() {
        return isRoundTrip() ? payload + " B RTT" : payload + " B×" + clients + "×" + window;
    }

    /** The same pattern with {@code datagramsPerClient} scaled by {@code factor} (at least 1). */
    UdpWorkload scaled(double factor) {
        int datagrams = Math.max(1, (int) Math.round(datagramsPerClient * factor));
        return new UdpWorkload(id, title, payload, clients, window, datagrams, timeLimit);
    }
}
