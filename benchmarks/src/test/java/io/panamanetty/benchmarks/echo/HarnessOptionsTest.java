package io.panamanetty.benchmarks.echo;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The harness's command line, {@code --baseline} and {@code --out} in particular. */
class HarnessOptionsTest {

    @Test
    void withoutOptionsEveryServerRunsAndThereIsNoBaseline() {
        HarnessOptions options = HarnessOptions.parse();
        assertEquals(List.of(ServerKind.values()), options.servers());
        assertNull(options.baseline());
        assertEquals(Path.of("results"), options.out(), "a full run of everything publishes");
    }

    @Test
    void onlyAFullRunOfEveryServerWritesTheCommittedResults() {
        Path home = Path.of("/x/benchmarks");
        assertEquals(home.resolve("results"), HarnessOptions.parse("--home", home.toString()).out());
        assertEquals(home.resolve("target/results-smoke"), HarnessOptions.parse("--home", home.toString(), "--smoke").out());
        assertEquals(home.resolve("target/results-quick"), HarnessOptions.parse("--quick", "--home", home.toString()).out());
        for (String[] partial : List.of(new String[] {"--servers", "panama-netty"}, new String[] {"--rounds", "3"},
                new String[] {"--baseline", "HEAD~1"}, new String[] {"--workers", "4"}, new String[] {"--connections", "8"},
                new String[] {"--no-pin"}, new String[] {"--java", "/usr/bin/java"})) {
            List<String> args = new java.util.ArrayList<>(List.of("--home", home.toString()));
            args.addAll(List.of(partial));
            assertEquals(home.resolve("target/results-partial"), HarnessOptions.parse(args.toArray(String[]::new)).out(),
                    String.join(" ", partial));
        }
    }

    @Test
    void baselineTakesARevision() {
        HarnessOptions options = HarnessOptions.parse("--smoke", "--baseline", "HEAD~3");
        assertEquals("HEAD~3", options.baseline());
        assertEquals(List.of(ServerKind.values()), options.servers(), "the baseline adds no kind of server");
    }

    @Test
    void baselineBringsPanamaNettyBackWhenServersLeftItOut() {
        HarnessOptions options = HarnessOptions.parse("--servers", "jdk-nio", "--baseline", "abc1234");
        assertEquals(List.of(ServerKind.NETTY_EPOLL, ServerKind.PANAMA, ServerKind.JDK_NIO), options.servers());
        HarnessOptions reversed = HarnessOptions.parse("--baseline", "abc1234", "--servers", "netty-nio");
        assertEquals(List.of(ServerKind.NETTY_EPOLL, ServerKind.PANAMA, ServerKind.NETTY_NIO), reversed.servers());
    }

    @Test
    void baselineRejectsAMissingOrOptionLikeRevision() {
        assertThrows(IllegalArgumentException.class, () -> HarnessOptions.parse("--baseline"));
        IllegalArgumentException dash = assertThrows(IllegalArgumentException.class,
                () -> HarnessOptions.parse("--baseline", "--quick"));
        assertTrue(dash.getMessage().contains("--baseline"), dash.getMessage());
        assertThrows(IllegalArgumentException.class, () -> HarnessOptions.parse("--baseline", " "));
    }

    @Test
    void anOutGivenWinsOverTheDefaults() {
        HarnessOptions options = HarnessOptions.parse("--home", "benchmarks", "--out", "/tmp/y", "--smoke", "--out", "/tmp/x");
        assertEquals(Path.of("/tmp/x"), options.out());
        assertEquals(Path.of("/tmp/z"), HarnessOptions.parse("--out", "/tmp/z").out());
    }

    @Test
    void unixServersAreChosenLikeTheOthersAndSocketsOnlySaysWhere() {
        HarnessOptions options = HarnessOptions.parse("--smoke",
                "--servers", "c-epoll-unix,panama-netty-unix,netty-epoll-unix", "--sockets", "/tmp/s");
        assertEquals(List.of(ServerKind.NETTY_EPOLL, ServerKind.NETTY_EPOLL_UNIX, ServerKind.PANAMA_UNIX,
                ServerKind.C_EPOLL_UNIX), options.servers(), "report order, Netty epoll over TCP first");
        assertEquals(Path.of("/tmp/s"), options.sockets());
        assertEquals(Path.of(System.getProperty("java.io.tmpdir")), HarnessOptions.parse().sockets());
        Path home = Path.of("/x/benchmarks");
        assertEquals(home.resolve("results"),
                HarnessOptions.parse("--home", home.toString(), "--sockets", "/tmp/s").out(),
                "where the socket files go changes nothing measured");
        for (ServerKind kind : ServerKind.values()) {
            assertEquals(kind.id().endsWith("-unix"), kind.overUnix(), kind.id());
            assertEquals(kind.overUnix(), kind.tcpSibling() != null, kind.id());
        }
    }

    @Test
    void usageDocumentsTheBaseline() {
        assertTrue(HarnessOptions.USAGE.contains("--baseline REV"), HarnessOptions.USAGE);
    }
}
