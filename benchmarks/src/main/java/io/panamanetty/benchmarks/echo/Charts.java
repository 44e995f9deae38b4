package io.panamanetty.benchmarks.echo;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.CategoryStyler;
import org.knowm.xchart.style.Styler;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The PNG charts (XChart, rendered headless): grouped bars, one group per workload and
 * one bar per server, each absolute figure beside its ratio to Netty epoll.
 * {@code rtt.png}: average round-trip time with 1 and with many connections, and the
 * average and p99 as ratios. {@code throughput.png}: pipelined messages/s and server
 * CPU per message on every workload. {@link #bars} and {@link #save} are the shared
 * building blocks, also used by the UDP benchmark's chart.
 */
public final class Charts {
    private static final int WIDTH = 900;
    private static final int HEIGHT = 520;
    /** Colours for {@link #color(int)}'s numbered series (the UDP benchmark's servers). */
    private static final Color[] COLORS = {
        new Color(0x80, 0x80, 0x80), new Color(0xE6, 0x7E, 0x22), new Color(0x34, 0x98, 0xDB),
        new Color(0x27, 0xAE, 0x60), new Color(0x8E, 0x44, 0xAD), new Color(0x16, 0xA0, 0x85),
        new Color(0xE7, 0x4C, 0x3C), new Color(0x40, 0x40, 0x40), new Color(0xA0, 0x4A, 0x00),
        new Color(0x92, 0x2B, 0x21)};
    /** panama-netty's earlier build ({@code --baseline}): a pale orange beside the current one. */
    private static final Color BASELINE_COLOR = new Color(0xF5, 0xCB, 0xA7);

    static {
        System.setProperty("java.awt.headless", "true");   // before XChart touches AWT
    }

    private Charts() {
    }

    /** Writes both charts. */
    static void write(Measurements measurements, Path rttPng, Path throughputPng) throws IOException {
        List<Workload> single = measurements.workloads().stream()
                .filter(w -> w.isRoundTrip() && w.connections() == 1).toList();
        List<Workload> many = measurements.workloads().stream()
                .filter(w -> w.isRoundTrip() && w.connections() > 1).toList();
        List<Workload> roundTrips = measurements.workloads().stream().filter(Workload::isRoundTrip).toList();
        List<Workload> pipelined = measurements.workloads().stream().filter(w -> !w.isRoundTrip()).toList();
        String manyTitle = many.isEmpty() ? "" : ", " + many.getFirst().connections() + " connections";
        save(rttPng, List.of(
                chart(measurements, single, "Average round-trip time, 1 connection", "µs (lower is better)",
                        Measurements.Cell::averageMicros, false),
                chart(measurements, many, "Average round-trip time" + manyTitle, "µs (lower is better)",
                        Measurements.Cell::averageMicros, false),
                chart(measurements, roundTrips, "Average round-trip time vs Netty epoll", "ratio (lower is better)",
                        Measurements.Cell::averageMicros, true),
                chart(measurements, roundTrips, "p99 round-trip time vs Netty epoll", "ratio (lower is better)",
                        c -> c.percentileMicros(0.99), true)));
        save(throughputPng, List.of(
                chart(measurements, pipelined, "Pipelined throughput", "messages/s (higher is better)",
                        Measurements.Cell::messagesPerSecond, false),
                chart(measurements, pipelined, "Pipelined throughput vs Netty epoll", "ratio (higher is better)",
                        Measurements.Cell::messagesPerSecond, true),
                chart(measurements, measurements.workloads(), "Server CPU per message", "µs (lower is better)",
                        Measurements.Cell::serverCpuMicrosPerMessage, false),
                chart(measurements, measurements.workloads(), "Server CPU per message vs Netty epoll",
                        "ratio (lower is better)", Measurements.Cell::serverCpuMicrosPerMessage, true)));
    }

    /** Writes {@code charts} into one PNG, two per row. */
    public static void save(Path png, List<CategoryChart> charts) throws IOException {
        Files.createDirectories(png.toAbsolutePath().getParent());
        int rows = (charts.size() + 1) / 2;
        BitmapEncoder.saveBitmap(charts, rows, Math.min(2, charts.size()), png.toString(),
                BitmapEncoder.BitmapFormat.PNG);
    }

    /**
     * One bar series: a server's values, one per category, drawn in {@code color}.
     *
     * @param label the legend's name for it
     * @param values one value per category (a value that is not finite is drawn as 0)
     * @param color the bars' fill
     */
    public record Series(String label, List<Double> values, Color color) {
    }

    /** The fill colour of the {@code index}-th server: Netty grey, panama-netty orange, then others. */
    public static Color color(int index) {
        return COLORS[index % COLORS.length];
    }

    /** A grouped bar chart in the harness's style: one group per category, one bar per series. */
    public static CategoryChart bars(String title, String yTitle, List<String> categories, List<Series> series) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                .title(title).yAxisTitle(yTitle).build();
        CategoryStyler styler = chart.getStyler();
        styler.setLegendPosition(Styler.LegendPosition.OutsideS);
        styler.setLegendLayout(Styler.LegendLayout.Horizontal);
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotGridVerticalLinesVisible(false);
        styler.setYAxisMin(0.0);
        styler.setYAxisDecimalPattern("#,##0.##");
        for (Series one : series) {
            List<Double> values = one.values().stream().map(v -> Double.isFinite(v) ? v : 0.0).toList();
            chart.addSeries(one.label(), categories, values).setFillColor(one.color());
        }
        return chart;
    }

    private static CategoryChart chart(Measurements measurements, List<Workload> workloads, String title,
                                       String yTitle, ToDoubleFunction<Measurements.Cell> metric, boolean asRatio) {
        List<String> categories = workloads.stream().map(Report::shortTitle).toList();
        List<Series> series = new ArrayList<>();
        for (ServerSpec server : measurements.servers()) {
            List<Double> values = new ArrayList<>();
            for (Workload workload : workloads) {
                values.add(asRatio ? Report.ratio(measurements, metric, server, workload)
                        : metric.applyAsDouble(measurements.cell(server, workload)));
            }
            series.add(new Series(server.label(), values, server.baseline() ? BASELINE_COLOR
                    : color(server.kind())));
        }
        return bars(title, yTitle, categories, series);
    }

    /**
     * Each server's own colour: Netty grey (io_uring lighter), panama-netty orange (io_uring
     * gold), the other Java servers blue, green, purple, teal, the C servers red (io_uring
     * salmon); the Unix-socket ones darker shades of their TCP siblings'. A new kind fails to
     * compile here until it has one.
     */
    private static Color color(ServerKind kind) {
        return switch (kind) {
            case NETTY_EPOLL -> new Color(0x80, 0x80, 0x80);
            case PANAMA -> new Color(0xE6, 0x7E, 0x22);
            case PANAMA_LAUNCHER -> new Color(0x34, 0x98, 0xDB);
            case NETTY_IO_URING -> new Color(0xB8, 0xB8, 0xB8);
            case PANAMA_IO_URING -> new Color(0xF1, 0xC4, 0x0F);
            case NETTY_NIO -> new Color(0x27, 0xAE, 0x60);
            case JDK_NIO -> new Color(0x8E, 0x44, 0xAD);
            case VIRTUAL_THREADS -> new Color(0x16, 0xA0, 0x85);
            case C_EPOLL -> new Color(0xE7, 0x4C, 0x3C);
            case C_IO_URING -> new Color(0xF1, 0x94, 0x8A);
            case NETTY_EPOLL_UNIX -> new Color(0x40, 0x40, 0x40);
            case PANAMA_UNIX -> new Color(0xA0, 0x4A, 0x00);
            case C_EPOLL_UNIX -> new Color(0x92, 0x2B, 0x21);
        };
    }
}
