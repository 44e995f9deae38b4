package io.panamanetty.benchmarks.echo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JVM flags {@code bin/echo-server} starts the echo server with, read from the script
 * itself (its {@code jvm_flags=(...)} line), so that the harness's "as users start it" row
 * cannot drift from what users get.
 */
final class LauncherFlags {
    private static final Pattern FLAGS = Pattern.compile("(?m)^jvm_flags=\\(([^)]*)\\)");

    private LauncherFlags() {
    }

    /** The flags in {@code <repository>/bin/echo-server}, with the native-access flag every launch has. */
    static List<String> read() throws IOException {
        Path script = SourceTree.benchmarksDirectory("the launcher's flags").getParent().resolve("bin/echo-server");
        Matcher flags = FLAGS.matcher(Files.readString(script, StandardCharsets.UTF_8));
        if (!flags.find()) {
            throw new IOException(script + " has no jvm_flags=(...) line to read the launcher's JVM flags from");
        }
        List<String> parsed = new ArrayList<>(List.of("--enable-native-access=ALL-UNNAMED"));
        for (String flag : flags.group(1).trim().split("\\s+")) {
            if (!flag.isEmpty()) {
                parsed.add(flag);
            }
        }
        return List.copyOf(parsed);
    }
}
