package io.panamanetty.benchmarks.echo;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything measured in one harness run, pooled over its rounds: per server and
 * workload the messages, elapsed time, server CPU time and round-trip times; per
 * server the largest resident set seen.
 */
final class Measurements {
    /** Pooled figures of one server on one workload. */
    static final class Cell {
        private long messages;
        private long bytes;
        private long elapsedNanos;
        private long serverCpuNanos;
        private long[] roundTrips = new long[0];
        private int rounds;
        private boolean timedOut;
        private long[] sorted;

        void add(WorkloadResult result, long cpuNanos) {
            messages += result.messages();
            bytes += result.bytes();
            elapsedNanos += result.elapsedNanos();
            serverCpuNanos += cpuNanos;
            long[] more = result.roundTrips();
            long[] all = Arrays.copyOf(roundTrips, roundTrips.length + more.length);
            System.arraycopy(more, 0, all, roundTrips.length, more.length);
            roundTrips = all;
            timedOut |= result.timedOut();
            rounds++;
            sorted = null;
        }

        long messages() {
            return messages;
        }

        int rounds() {
            return rounds;
        }

        boolean timedOut() {
            return timedOut;
        }

        /** Mean round-trip time in microseconds. */
        double averageMicros() {
            return roundTrips.length == 0 ? Double.NaN : Arrays.stream(roundTrips).average().orElse(0) / 1_000.0;
        }

        /** The {@code q}-quantile (0.5, 0.99) of the round-trip times in microseconds (nearest rank). */
        double percentileMicros(double q) {
            if (roundTrips.length == 0) {
                return Double.NaN;
            }
            if (sorted == null) {
                sorted = roundTrips.clone();
                Arrays.sort(sorted);
            }
            int rank = (int) Math.ceil(q * sorted.length);
            return sorted[Math.clamp(rank - 1, 0, sorted.length - 1)] / 1_000.0;
        }

        /** Messages per second over the measured exchanges. */
        double messagesPerSecond() {
            return elapsedNanos == 0 ? Double.NaN : messages * 1e9 / elapsedNanos;
        }

        /** Payload megabytes (10^6) per second, one direction. */
        double megabytesPerSecond() {
            return elapsedNanos == 0 ? Double.NaN : bytes * 1e3 / elapsedNanos;
        }

        /** Server CPU time (user + system, all its threads) per echoed message, in microseconds. */
        double serverCpuMicrosPerMessage() {
            return messages == 0 ? Double.NaN : serverCpuNanos / 1_000.0 / messages;
        }
    }

    private final List<ServerSpec> servers;
    private final List<Workload> workloads;
    private final Map<ServerSpec, Map<String, Cell>> cells = new HashMap<>();
    private final Map<ServerSpec, Long> maxRssKiB = new HashMap<>();

    Measurements(List<ServerSpec> servers, List<Workload> workloads) {
        this.servers = List.copyOf(servers);
        this.workloads = List.copyOf(workloads);
        if (servers.stream().noneMatch(s -> s.kind() == ServerKind.NETTY_EPOLL && !s.baseline())) {
            throw new IllegalArgumentException("Netty epoll, the reference of every ratio, is not among " + servers);
        }
        for (ServerSpec server : servers) {
            Map<String, Cell> row = new LinkedHashMap<>();
            for (Workload workload : workloads) {
                row.put(workload.id(), new Cell());
            }
            cells.put(server, row);
        }
    }

    /** The servers in report order. */
    List<ServerSpec> servers() {
        return servers;
    }

    /** Netty epoll, the server every ratio is taken against. */
    ServerSpec reference() {
        return current(ServerKind.NETTY_EPOLL);
    }

    /** The server of {@code kind} on the current code (not the baseline). */
    ServerSpec current(ServerKind kind) {
        return servers.stream().filter(s -> s.kind() == kind && !s.baseline()).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(kind.label() + " was not measured"));
    }

    /** The earlier commit's panama-netty ({@code --baseline}), if this run has one. */
    Optional<ServerSpec> baseline() {
        return servers.stream().filter(ServerSpec::baseline).findFirst();
    }

    List<Workload> workloads() {
        return workloads;
    }

    /** Adds one round of {@code workload} on {@code server}. */
    void add(ServerSpec server, Workload workload, WorkloadResult result, long serverCpuNanos) {
        cell(server, workload).add(result, serverCpuNanos);
    }

    /** Notes a resident-set sample of {@code server}. */
    void sampleRss(ServerSpec server, long rssKiB) {
        maxRssKiB.merge(server, rssKiB, Math::max);
    }

    Cell cell(ServerSpec server, Workload workload) {
        return cells.get(server).get(workload.id());
    }

    /** The largest resident set seen for {@code server}, in MiB. */
    double maxRssMiB(ServerSpec server) {
        return maxRssKiB.getOrDefault(server, 0L) / 1024.0;
    }
}
