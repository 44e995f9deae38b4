package io.panamanetty.benchmarks.echo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A server program that exits with the bad-options status before it is ready (as an
 * {@code echo-server} without {@code --unix} does) fails its start with one line: the
 * server, the options it was given and its own complaint. Real programs: the launcher and
 * the C echo server, each given an option it does not know.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ServerOptionsRejectedTest {
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    @Test
    void theLauncherRejectingAnOptionIsOneLineNamingIt(@TempDir Path logs) {
        ServerProgram launcher = new ServerProgram("io.panamanetty.examples.Launcher", null,
                List.of("echo-server", "--no-such-option", "x"), Pattern.compile("^echo-server: listening on "),
                false, false);
        ServerOptionsRejectedException e = assertThrows(ServerOptionsRejectedException.class,
                () -> ServerProcess.start("bad-launcher", "the launcher", System.getProperty("java.class.path"),
                        launcher, JAVA, Harness.SERVER_JVM_FLAGS, 1, false, logs));
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        assertTrue(e.getMessage().startsWith("the launcher: the program rejected its options"
                + " 'echo-server --no-such-option x --workers 1' (exit status 2): echo-server: "), e.getMessage());
        assertTrue(e.getMessage().contains("--no-such-option"), e.getMessage());
    }

    @Test
    void theCServerRejectingAnOptionIsOneLineNamingIt(@TempDir Path logs) {
        ServerProgram server = new ServerProgram(null, NativePrograms.ECHO_SERVER, List.of("--bogus"),
                Pattern.compile("^PORT "), true, false);
        ServerOptionsRejectedException e = assertThrows(ServerOptionsRejectedException.class,
                () -> ServerProcess.start("bad-c", "the C server", "", server, JAVA, List.of(), 1, false, logs));
        assertEquals("the C server: the program rejected its options '--bogus --workers 1' (exit status 2):"
                + " echo_server: unknown option --bogus (usage: echo_server [--unix PATH|@NAME] [--workers N])",
                e.getMessage());
    }
}
