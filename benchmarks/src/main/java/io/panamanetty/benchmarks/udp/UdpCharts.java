package io.panamanetty.benchmarks.udp;

import io.panamanetty.benchmarks.echo.Charts;

import org.knowm.xchart.CategoryChart;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The UDP benchmark's chart, {@code udp.png}, drawn with the TCP harness's {@link Charts}:
 * datagrams/s of the throughput workloads and RTT p50/p99 of the round-trip ones, each
 * absolute and as a ratio to Netty epoll.
 */
final class UdpCharts {
    private UdpCharts() {
    }

    /** Writes the four panels into {@code png}. */
    static void write(UdpMeasurements measurements, Path png) throws IOException {
        List<UdpWorkload> throughput = measurements.workloads().stream().filter(w -> !w.isRoundTrip()).toList();
        List<UdpWorkload> roundTrips = measurements.workloads().stream().filter(UdpWorkload::isRoundTrip).toList();
        List<String> tputCategories = throughput.stream().map(UdpWorkload::shortTitle).toList();
        List<String> rttCategories = new ArrayList<>();
        for (UdpWorkload workload : roundTrips) {
            rttCategories.add(workload.payload() + " B p50");
            rttCategories.add(workload.payload() + " B p99");
        }
        Charts.save(png, List.of(
                Charts.bars("UDP echo throughput", "datagrams/s (higher is better)", tputCategories,
                        series(measurements, throughput, UdpMeasurements.Cell::datagramsPerSecond, false)),
                Charts.bars("UDP echo throughput vs Netty epoll", "ratio (higher is better)", tputCategories,
                        series(measurements, throughput, UdpMeasurements.Cell::datagramsPerSecond, true)),
                Charts.bars("Single-packet round trip", "µs (lower is better)", rttCategories,
                        percentiles(measurements, roundTrips, false)),
                Charts.bars("Single-packet round trip vs Netty epoll", "ratio (lower is better)", rttCategories,
                        percentiles(measurements, roundTrips, true))));
    }

    private static List<Charts.Series> series(UdpMeasurements measurements, List<UdpWorkload> workloads,
                                              ToDoubleFunction<UdpMeasurements.Cell> metric, boolean asRatio) {
        List<Charts.Series> series = new ArrayList<>();
        for (UdpServerKind server : measurements.servers()) {
            List<Double> values = new ArrayList<>();
            for (UdpWorkload workload : workloads) {
                values.add(value(measurements, metric, server, workload, asRatio));
            }
            series.add(new Charts.Series(server.label(), values, Charts.color(server.ordinal())));
        }
        return series;
    }

    /** p50 then p99 of every round-trip workload, in the order of the categories. */
    private static List<Charts.Series> percentiles(UdpMeasurements measurements, List<UdpWorkload> workloads,
                                                   boolean asRatio) {
        List<Charts.Series> series = new ArrayList<>();
        for (UdpServerKind server : measurements.servers()) {
            List<Double> values = new ArrayList<>();
            for (UdpWorkload workload : workloads) {
                values.add(value(measurements, c -> c.percentileMicros(0.50), server, workload, asRatio));
                values.add(value(measurements, c -> c.percentileMicros(0.99), server, workload, asRatio));
            }
            series.add(new Charts.Series(server.label(), values, Charts.color(server.ordinal())));
        }
        return series;
    }

    private static double value(UdpMeasurements measurements, ToDoubleFunction<UdpMeasurements.Cell> metric,
                                UdpServerKind server, UdpWorkload workload, boolean asRatio) {
        return asRatio ? measurements.ratio(metric, server, workload)
                : metric.applyAsDouble(measurements.cell(server, workload));
    }
}
