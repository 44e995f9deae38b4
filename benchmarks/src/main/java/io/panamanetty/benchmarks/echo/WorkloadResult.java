package io.panamanetty.benchmarks.echo;

/**
 * What one run of a {@link Workload} against one server measured.
 *
 * @param messages messages echoed back completely and checked byte by byte
 * @param bytes payload bytes echoed back (one direction)
 * @param elapsedNanos wall time of the measured exchange
 * @param roundTrips round-trip times in nanoseconds, one per message (empty when pipelined)
 * @param timedOut true if the time limit cut the exchange short
 */
record WorkloadResult(long messages, long bytes, long elapsedNanos, long[] roundTrips, boolean timedOut) {
}
