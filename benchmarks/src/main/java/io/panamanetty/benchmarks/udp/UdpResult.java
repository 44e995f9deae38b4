package io.panamanetty.benchmarks.udp;

/**
 * What one run of a {@link UdpWorkload} against one server measured, as the C load
 * generator reports it.
 *
 * @param datagrams datagrams echoed back and checked whole (size and every byte)
 * @param bytes payload bytes of those datagrams (one direction)
 * @param elapsedNanos wall time of the measured exchange
 * @param roundTrips round-trip times in nanoseconds, one per datagram (empty unless a round-trip workload)
 * @param timedOut true if the time limit cut the exchange short
 * @param lost datagrams sent again because no echo came within the retransmission timeout
 * @param duplicates second echoes of datagrams that had been sent twice (ignored)
 * @param sendCalls {@code sendmmsg} calls the client made
 * @param recvCalls {@code recvmmsg} calls that returned datagrams
 */
record UdpResult(long datagrams, long bytes, long elapsedNanos, long[] roundTrips, boolean timedOut,
                 long lost, long duplicates, long sendCalls, long recvCalls) {
}
