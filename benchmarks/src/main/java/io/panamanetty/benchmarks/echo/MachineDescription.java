package io.panamanetty.benchmarks.echo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The machine a run happened on, for the report.
 *
 * @param processors online processors ({@code nproc --all}: all of them, even when pinned)
 * @param cpuModel the first "model name" of {@code /proc/cpuinfo}
 * @param kernel {@code uname -r}
 * @param jdk the servers' JDK ({@code java -version}, first line) and its runtime version
 */
public record MachineDescription(String processors, String cpuModel, String kernel, String jdk) {

    /** Looks at this machine and at the JDK behind {@code java}. */
    public static MachineDescription probe(String java) {
        return new MachineDescription(command("nproc", "--all"), readCpuModel(), command("uname", "-r"),
                jdkVersion(java));
    }

    /** One line: {@code 2 x AMD EPYC, Linux 6.1, JDK 25}. */
    public String oneLine() {
        return processors + " x " + cpuModel + ", Linux " + kernel + ", " + jdk;
    }

    private static String readCpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            // fall through
        }
        return "unknown CPU";
    }

    private static String jdkVersion(String java) {
        String out = command(java, "-XshowSettings:properties", "-version");
        String vendor = "";
        String runtime = "";
        for (String line : out.split("\n")) {
            String trimmed = line.trim();
            if (trimmed.startsWith("java.vendor.version = ")) {
                vendor = trimmed.substring("java.vendor.version = ".length());
            } else if (trimmed.startsWith("java.runtime.version = ")) {
                runtime = trimmed.substring("java.runtime.version = ".length());
            }
        }
        return runtime.isEmpty() ? "unknown JDK" : "JDK " + runtime + (vendor.isEmpty() ? "" : " (" + vendor + ")");
    }

    /** The command's output, trimmed, or "unknown". */
    private static String command(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (process.waitFor(20, TimeUnit.SECONDS) && process.exitValue() == 0) {
                return out;
            }
        } catch (IOException e) {
            // fall through
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "unknown";
    }
}
