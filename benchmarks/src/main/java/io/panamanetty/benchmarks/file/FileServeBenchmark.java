package io.panamanetty.benchmarks.file;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Serving one large file to a local client, {@code serve-file} with {@code sendfile(2)}
 * against {@code serve-file --copy} (through pooled buffers), both running at once and
 * measured in alternating rounds: the server's CPU seconds per GiB sent (user + system,
 * from {@code /proc/PID/stat}) and the transfer rate. {@code curl} is the client, writing
 * to {@code /dev/null}; with {@code --pin} (the default) server and client share CPU 0.
 *
 * <pre>
 *   java -cp ... io.panamanetty.benchmarks.file.FileServeBenchmark [--size-mib 1024] [--rounds 3] [--no-pin]
 * </pre>
 */
public final class FileServeBenchmark {
    private static final Pattern LISTENING = Pattern.compile("on [0-9.]+:(\\d+)");
    /** Clock ticks per second of {@code /proc/PID/stat}'s times: 100 on Linux x86_64 and arm64. */
    private static final double TICKS_PER_SECOND = 100.0;

    private FileServeBenchmark() {
    }

    private record Server(String mode, Process process, int port) {
        double cpuSeconds() throws IOException {
            String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;   // utime, stime
        }
    }

    /** Runs the comparison and prints a table. */
    public static void main(String[] args) throws Exception {
        int sizeMib = 1024;
        int rounds = 3;
        boolean pin = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--size-mib" -> sizeMib = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--no-pin" -> pin = false;
                default -> {
                    System.err.println("file-serve benchmark: unknown option '" + args[i] + "'");
                    System.exit(2);
                }
            }
        }
        Path root = Files.createTempDirectory("serve-file-bench");
        Path file = root.resolve("big.bin");
        writeFile(file, sizeMib);
        List<Server> servers = new ArrayList<>();
        try {
            servers.add(start(root, "sendfile", pin));
            servers.add(start(root, "copy", pin));
            for (Server server : servers) {
                fetch(server, pin);   // warm-up: JIT, page cache
            }
            double[] cpu = new double[servers.size()];
            double[] seconds = new double[servers.size()];
            for (int round = 0; round < rounds; round++) {
                for (int s = 0; s < servers.size(); s++) {
                    Server server = servers.get(s);
                    double before = server.cpuSeconds();
                    seconds[s] += fetch(server, pin);
                    cpu[s] += server.cpuSeconds() - before;
                }
            }
            double gib = sizeMib / 1024.0 * rounds;
            System.out.printf(Locale.ROOT, "serving a %d MiB file, %d rounds each, interleaved%s%n", sizeMib, rounds,
                    pin ? ", server and curl on CPU 0" : "");
            System.out.println("| server | CPU s per GiB | GiB/s |");
            System.out.println("|---|---|---|");
            for (int s = 0; s < servers.size(); s++) {
                System.out.printf(Locale.ROOT, "| serve-file (%s) | %.3f | %.2f |%n", servers.get(s).mode(),
                        cpu[s] / gib, gib / seconds[s]);
            }
        } finally {
            for (Server server : servers) {
                server.process().destroy();
                server.process().waitFor(30, TimeUnit.SECONDS);
            }
            Files.deleteIfExists(file);
            Files.deleteIfExists(root);
        }
    }

    private static void writeFile(Path file, int sizeMib) throws IOException {
        byte[] block = new byte[1024 * 1024];
        new Random(1).nextBytes(block);
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int i = 0; i < sizeMib; i++) {
                block[i % block.length] ^= (byte) i;   // no two MiB alike
                out.write(block);
            }
        }
    }

    private static List<String> pinned(boolean pin, List<String> command) {
        List<String> full = new ArrayList<>(pin ? List.of("taskset", "-c", "0") : List.of());
        full.addAll(command);
        return full;
    }

    private static Server start(Path root, String mode, boolean pin) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "io.panamanetty.examples.Launcher", "serve-file", "--root", root.toString(),
                "--host", "127.0.0.1", "--port", "0", "--workers", "1"));
        if (mode.equals("copy")) {
            command.add("--copy");
        }
        Process process = new ProcessBuilder(pinned(pin, command)).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        Matcher port = line == null ? null : LISTENING.matcher(line);
        if (port == null || !port.find()) {
            process.destroyForcibly();
            throw new IOException("serve-file (" + mode + ") did not start: " + line);
        }
        Thread.ofVirtual().start(() -> {   // keep draining its output
            try {
                out.transferTo(java.io.Writer.nullWriter());
            } catch (IOException ignored) {
                // the server ended
            }
        });
        return new Server(mode, process, Integer.parseInt(port.group(1)));
    }

    /** Fetches the file once with curl; returns the seconds the transfer took. */
    private static double fetch(Server server, boolean pin) throws IOException, InterruptedException {
        Process curl = new ProcessBuilder(pinned(pin, List.of("curl", "-sS", "--fail", "-o", "/dev/null",
                "-w", "%{time_total} %{size_download}", "http://127.0.0.1:" + server.port() + "/big.bin")))
                .redirectErrorStream(true).start();
        String output = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!curl.waitFor(300, TimeUnit.SECONDS) || curl.exitValue() != 0) {
            throw new IOException("curl against serve-file (" + server.mode() + ") failed: " + output);
        }
        return Double.parseDouble(output.split(" ")[0]);
    }
}
