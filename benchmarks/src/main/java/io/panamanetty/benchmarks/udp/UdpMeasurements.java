package io.panamanetty.benchmarks.udp;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Everything one UDP benchmark run measured, pooled over its rounds: per server and
 * workload the datagrams, elapsed time, server CPU time, round-trip times, losses and the
 * client's batching; per server the largest resident set seen.
 */
final class UdpMeasurements {
    /** Pooled figures of one server on one workload. */
    static final class Cell {
        private long datagrams;
        private long bytes;
        private long elapsedNanos;
        private long serverCpuNanos;
        private long serverUserNanos;
        private long lost;
        private long duplicates;
        private long sendCalls;
        private long recvCalls;
        private long[] roundTrips = new long[0];
        private boolean timedOut;
        private long[] sorted;

        void add(UdpResult result, long cpuNanos, long userNanos) {
            datagrams += result.datagrams();
            bytes += result.bytes();
            elapsedNanos += result.elapsedNanos();
            serverCpuNanos += cpuNanos;
            serverUserNanos += userNanos;
            lost += result.lost();
            duplicates += result.duplicates();
            sendCalls += result.sendCalls();
            recvCalls += result.recvCalls();
            long[] all = Arrays.copyOf(roundTrips, roundTrips.length + result.roundTrips().length);
            System.arraycopy(result.roundTrips(), 0, all, roundTrips.length, result.roundTrips().length);
            roundTrips = all;
            timedOut |= result.timedOut();
            sorted = null;
        }

        long datagrams() {
            return datagrams;
        }

        long lost() {
            return lost;
        }

        long duplicates() {
            return duplicates;
        }

        boolean timedOut() {
            return timedOut;
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

        /** Mean round-trip time in microseconds. */
        double averageMicros() {
            return roundTrips.length == 0 ? Double.NaN : Arrays.stream(roundTrips).average().orElse(0) / 1_000.0;
        }

        /** Echoed datagrams per second over the measured exchanges. */
        double datagramsPerSecond() {
            return elapsedNanos == 0 ? Double.NaN : datagrams * 1e9 / elapsedNanos;
        }

        /** Payload megabytes (10^6) per second, one direction. */
        double megabytesPerSecond() {
            return elapsedNanos == 0 ? Double.NaN : bytes * 1e3 / elapsedNanos;
        }

        /** Server CPU time (user + system, all its threads) per echoed datagram, in microseconds. */
        double serverCpuMicrosPerDatagram() {
            return datagrams == 0 ? Double.NaN : serverCpuNanos / 1_000.0 / datagrams;
        }

        /** The share of the server's CPU time spent outside the kernel (0 to 1). */
        double serverUserShare() {
            return serverCpuNanos == 0 ? Double.NaN : (double) serverUserNanos / serverCpuNanos;
        }

        /** Datagrams the client took per {@code recvmmsg} call: how well the echoes arrive in batches. */
        double datagramsPerClientReceive() {
            return recvCalls == 0 ? Double.NaN : (double) datagrams / recvCalls;
        }

        /** Datagrams the client sent per {@code sendmmsg} call. */
        double datagramsPerClientSend() {
            return sendCalls == 0 ? Double.NaN : (double) datagrams / sendCalls;
        }
    }

    private final List<UdpServerKind> servers;
    private final List<UdpWorkload> workloads;
    private final Map<UdpServerKind, Map<String, Cell>> cells = new EnumMap<>(UdpServerKind.class);
    private final Map<UdpServerKind, Long> maxRssKiB = new EnumMap<>(UdpServerKind.class);

    UdpMeasurements(List<UdpServerKind> servers, List<UdpWorkload> workloads) {
        if (!servers.contains(UdpServerKind.NETTY_EPOLL)) {
            throw new IllegalArgumentException("Netty epoll, the reference of every ratio, is not among " + servers);
        }
        this.servers = List.copyOf(servers);
        this.workloads = List.copyOf(workloads);
        for (UdpServerKind server : servers) {
            Map<String, Cell> row = new LinkedHashMap<>();
            for (UdpWorkload workload : workloads) {
                row.put(workload.id(), new Cell());
            }
            cells.put(server, row);
        }
    }

    /** The servers in report order. */
    List<UdpServerKind> servers() {
        return servers;
    }

    List<UdpWorkload> workloads() {
        return workloads;
    }

    /** Adds one round of {@code workload} on {@code server}. */
    void add(UdpServerKind server, UdpWorkload workload, UdpResult result, long serverCpuNanos,
             long serverUserNanos) {
        cell(server, workload).add(result, serverCpuNanos, serverUserNanos);
    }

    /** Notes a resident-set sample of {@code server}. */
    void sampleRss(UdpServerKind server, long rssKiB) {
        maxRssKiB.merge(server, rssKiB, Math::max);
    }

    Cell cell(UdpServerKind server, UdpWorkload workload) {
        return cells.get(server).get(workload.id());
    }

    /** {@code metric} of {@code server} divided by Netty epoll's on the same workload. */
    double ratio(ToDoubleFunction<Cell> metric, UdpServerKind server, UdpWorkload workload) {
        return metric.applyAsDouble(cell(server, workload))
                / metric.applyAsDouble(cell(UdpServerKind.NETTY_EPOLL, workload));
    }

    /** The largest resident set seen for {@code server}, in MiB. */
    double maxRssMiB(UdpServerKind server) {
        return maxRssKiB.getOrDefault(server, 0L) / 1024.0;
    }
}
