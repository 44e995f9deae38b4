package io.panamanetty;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Holds the package rules (the README's "Layout") by reading the sources: the
 * transport-neutral {@code io.panamanetty.channel} (with its sub-packages) names no
 * bindings, no transport and nothing above it, by import or by fully qualified name; a
 * transport names nothing above it; the socket code the transports share
 * ({@code io.panamanetty.transport.socket}, which both may import) names neither transport. Comments are skipped, string literals too.
 */
class LayeringTest {
    private static final Path SOURCES = Path.of("src/main/java/io/panamanetty");
    private static final Pattern REFERENCE = Pattern.compile("\\bio\\.panamanetty\\.([a-z]+(?:\\.[a-z]+)*)");

    @Test
    void theChannelPackageKnowsNoTransportNorWhatIsAboveIt() throws IOException {
        List<String> violations = violations(SOURCES.resolve("channel"),
                List.of("bindings", "transport", "tls", "codec", "handler", "bootstrap"));
        assertEquals(List.of(), violations, "io.panamanetty.channel must stay transport-neutral");
    }

    @Test
    void theEpollTransportImportsNothingAboveIt() throws IOException {
        List<String> violations = violations(SOURCES.resolve("transport/epoll"),
                List.of("tls", "codec", "handler", "bootstrap"));
        assertEquals(List.of(), violations, "a transport sits below the bootstraps and handlers");
    }

    @Test
    void theSharedSocketPackageImportsNeitherTransportNorWhatIsAboveIt() throws IOException {
        List<String> violations = violations(SOURCES.resolve("transport/socket"),
                List.of("transport.epoll", "transport.uring", "tls", "codec", "handler", "bootstrap"));
        assertEquals(List.of(), violations, "the socket code both transports share sits below them both");
    }

    @Test
    void theIoUringTransportImportsNothingAboveItNorTheOtherTransport() throws IOException {
        List<String> violations = violations(SOURCES.resolve("transport/uring"),
                List.of("tls", "codec", "handler", "bootstrap", "transport.epoll"));
        assertEquals(List.of(), violations, "a transport sits below the bootstraps and handlers, beside epoll");
    }

    @Test
    void theHandlerLayersUseOnlyTheChannelApi() throws IOException {
        for (String layer : List.of("tls", "codec", "handler")) {
            List<String> violations = violations(SOURCES.resolve(layer),
                    List.of("bindings", "transport", "bootstrap", "channel.internal"));
            assertEquals(List.of(), violations, layer + " sits on the public channel API, beside every transport");
        }
    }

    @Test
    void buffersKnowNoChannel() throws IOException {
        List<String> violations = violations(SOURCES.resolve("buffer"),
                List.of("channel", "transport", "bootstrap", "tls", "codec", "handler"));
        assertEquals(List.of(), violations, "buffers sit below channels");
    }

    @Test
    void theRuleSeesAViolation() {
        String bad = "package io.panamanetty.channel;\nimport io.panamanetty.bindings.Epoll;\n"
                + "/** io.panamanetty.tls in a comment is fine */\nclass X { Object o = io.panamanetty.transport.epoll.Splice.class;"
                + " String s = \"io.panamanetty.codec\"; Object p = io.panamanetty.channel.internal.SafeLog.class;"
                + " Object q = io.panamanetty.channel.Channel.class; }";
        assertEquals(List.of("X.java: io.panamanetty.bindings.Epoll", "X.java: io.panamanetty.transport.epoll.Splice.class",
                        "X.java: io.panamanetty.channel.internal.SafeLog.class"),
                violationsIn("X.java", bad, List.of("bindings", "transport", "tls", "codec", "channel.internal")));
    }

    private static List<String> violations(Path directory, List<String> forbidden) throws IOException {
        assertTrue(Files.isDirectory(directory), "sources not found at " + directory.toAbsolutePath());
        List<String> violations = new ArrayList<>();
        int files = 0;
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path file : paths.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                files++;
                violations.addAll(violationsIn(directory.relativize(file).toString(), Files.readString(file), forbidden));
            }
        }
        assertTrue(files >= 5, "only " + files + " source files under " + directory);
        return violations;
    }

    static List<String> violationsIn(String name, String source, List<String> forbidden) {
        String code = withoutCommentsAndStrings(source);
        List<String> found = new ArrayList<>();
        Matcher matcher = REFERENCE.matcher(code);
        while (matcher.find()) {
            String reference = matcher.group(1) + ".";
            if (forbidden.stream().anyMatch(prefix -> reference.startsWith(prefix + "."))) {
                int end = matcher.end();
                while (end < code.length() && (Character.isJavaIdentifierPart(code.charAt(end)) || code.charAt(end) == '.')) {
                    end++;
                }
                found.add(name + ": " + code.substring(matcher.start(), end).replaceAll("\\.+$", ""));
            }
        }
        return found;
    }

    private static String withoutCommentsAndStrings(String source) {
        StringBuilder out = new StringBuilder(source.length());
        int i = 0;
        while (i < source.length()) {
            char c = source.charAt(i);
            if (c == '/' && i + 1 < source.length() && source.charAt(i + 1) == '*') {
                int end = source.indexOf("*/", i + 2);
                i = end < 0 ? source.length() : end + 2;
            } else if (c == '/' && i + 1 < source.length() && source.charAt(i + 1) == '/') {
                int end = source.indexOf('\n', i);
                i = end < 0 ? source.length() : end;
            } else if (c == '"' || c == '\'') {
                int j = i + 1;
                while (j < source.length() && source.charAt(j) != c) {
                    j += source.charAt(j) == '\\' ? 2 : 1;
                }
                out.append(c).append(c);
                i = j + 1;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }
}
