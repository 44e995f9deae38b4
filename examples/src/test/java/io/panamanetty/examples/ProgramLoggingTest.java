package io.panamanetty.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The programs log one line per record, naming the logger, not the JDK's two-line default. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ProgramLoggingTest {

    @Test
    void aWarningOfTheForwarderIsOneLineWithItsLoggersName() throws Exception {
        int listen = TestSupport.freePort();
        int nothingThere = TestSupport.freePort();
        Path log = Files.createTempFile("forward", ".log");
        Process forward = new ProcessBuilder(TestSupport.javaCommand("io.panamanetty.examples.Launcher", "forward",
                "--listen", "127.0.0.1:" + listen, "--to", "127.0.0.1:" + nothingThere))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            TestSupport.awaitListening(listen);
            try (Socket client = TestSupport.connect(listen)) {
                client.getOutputStream().write(1);   // a client the forwarder cannot pass on: it warns
            }
            String warning = awaitLine(log, "cannot forward");
            assertTrue(warning.matches("WARNING io\\.panamanetty\\.examples\\.Forwarder: cannot forward .*"), warning);
        } finally {
            forward.destroy();
            forward.waitFor(30, TimeUnit.SECONDS);
            Files.deleteIfExists(log);
        }
    }

    /** The first line of {@code log} containing {@code text}, once it appears (up to 60 s). */
    private static String awaitLine(Path log, String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            for (String line : lines) {
                if (line.contains(text)) {
                    return line;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no line with '" + text + "' in: " + Files.readString(log));
    }
}
