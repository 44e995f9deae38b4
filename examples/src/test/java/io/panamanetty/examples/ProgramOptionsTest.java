package io.panamanetty.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every program, started through the launcher in a child JVM as a user starts it, refuses a
 * number out of range with exactly one line on stderr, {@code program: what is wrong}, and exit
 * status 2, and ends by itself (no thread left running, no stack trace); every {@code --help}
 * lists {@code --help} in a table whose columns align.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ProgramOptionsTest {
    /** Generous: a refusal takes well under a second, a hang would take forever. */
    private static final long CHILD_TIMEOUT_SECONDS = 60;

    /** Runs {@code launcher args} and checks it is refused in one line that contains {@code expected}. */
    private static void assertRefused(String program, String expected, String... args) throws Exception {
        TestSupport.Exit exit = TestSupport.launch(CHILD_TIMEOUT_SECONDS, args);
        String command = String.join(" ", args);
        assertEquals(2, exit.code(), command + ": " + exit.err());
        assertEquals("", exit.out(), command + " wrote to stdout");
        List<String> lines = exit.err().lines().toList();
        assertEquals(1, lines.size(), command + " should print exactly one line on stderr: " + exit.err());
        String line = lines.getFirst();
        assertTrue(line.startsWith(program + ": "), command + ": " + line);
        assertTrue(line.contains(expected), command + ": expected \"" + expected + "\" in: " + line);
        assertFalse(line.contains("Exception"), command + ": " + line);
    }

    @Test
    void echoServerRefusesBadNumbers() throws Exception {
        assertRefused("udp-echo-server", "--batch needs a number from 1 to 1024, not '0'",
                "udp-echo-server", "--port", "0", "--batch", "0");
        assertRefused("echo-server", "--workers needs a number from 1 to 1024, not '0'",
                "echo-server", "--host", "127.0.0.1", "--port", "0", "--workers", "0");
        assertRefused("echo-server", "--workers needs a number from 1 to 1024, not '-3'",
                "echo-server", "--workers", "-3");
        assertRefused("echo-server", "--workers needs a number from 1 to 1024, not '100000'",
                "echo-server", "--workers", "100000");
        assertRefused("echo-server", "--workers needs a number from 1 to 1024, not 'many'",
                "echo-server", "--workers", "many");
        assertRefused("echo-server", "--port needs a number from 0 to 65535, not '70000'",
                "echo-server", "--port", "70000");
        assertRefused("echo-server", "--port needs a number from 0 to 65535, not '-1'",
                "echo-server", "--port", "-1");
        assertRefused("echo-server", "--port needs a number from 0 to 65535, not '99999999999999999999'",
                "echo-server", "--port", "99999999999999999999");
        assertRefused("echo-server", "unknown option '--wrokers'", "echo-server", "--wrokers", "2");
        assertRefused("echo-server", "--port needs a value", "echo-server", "--port");
    }

    @Test
    void echoClientRefusesBadNumbers() throws Exception {
        assertRefused("echo-client", "--count needs a number from 1 to 10000000, not '0'",
                "echo-client", "--count", "0");
        assertRefused("echo-client", "--count needs a number from 1 to 10000000, not '-5'",
                "echo-client", "--count", "-5");
        assertRefused("echo-client", "--count needs a number from 1 to 10000000, not '2147483648'",
                "echo-client", "--count", "2147483648");
        assertRefused("echo-client", "--size needs a number from 1 to 16777216, not '0'",
                "echo-client", "--size", "0");
        assertRefused("echo-client", "--size needs a number from 1 to 16777216, not '16777217'",
                "echo-client", "--size", "16777217");
        assertRefused("echo-client", "--port needs a number from 1 to 65535, not '0'",
                "echo-client", "--port", "0");
        assertRefused("echo-client", "--port needs a number from 1 to 65535, not '70000'",
                "echo-client", "--port", "70000");
        assertRefused("echo-client", "unexpected argument 'localhost'", "echo-client", "localhost");
    }

    @Test
    void forwardRefusesBadNumbers() throws Exception {
        assertRefused("forward", "--workers needs a number from 1 to 1024, not '0'",
                "forward", "--to", "127.0.0.1:9", "--listen", "127.0.0.1:0", "--workers", "0");
        assertRefused("forward", "--workers needs a number from 1 to 1024, not '2000'",
                "forward", "--to", "127.0.0.1:9", "--workers", "2000");
        assertRefused("forward", "--to needs a port of 1 to 65535",
                "forward", "--to", "127.0.0.1:0");
        assertRefused("forward", "--to needs HOST:PORT with a port of 0 to 65535, not '127.0.0.1:65536'",
                "forward", "--to", "127.0.0.1:65536");
        assertRefused("forward", "--listen needs HOST:PORT with a port of 0 to 65535, not '127.0.0.1:70000'",
                "forward", "--to", "127.0.0.1:9", "--listen", "127.0.0.1:70000");
    }

    @Test
    void httpGetRefusesBadNumbers() throws Exception {
        assertRefused("http-get", "--port needs a number from 1 to 65535, not '0'",
                "http-get", "--host", "127.0.0.1", "--port", "0");
        assertRefused("http-get", "--port needs a number from 1 to 65535, not '70000'",
                "http-get", "--host", "127.0.0.1", "--port", "70000");
        assertRefused("http-get", "the port must be 1 to 65535, not 70000",
                "http-get", "http://127.0.0.1:70000/");
        assertRefused("http-get", "the port must be 1 to 65535, not 0",
                "http-get", "http://127.0.0.1:0/");
        assertRefused("http-get", "unexpected argument 'http://127.0.0.1:81/'",
                "http-get", "http://127.0.0.1:80/", "http://127.0.0.1:81/");
    }

    @Test
    void launcherRefusesAnUnknownProgram() throws Exception {
        assertRefused(Launcher.NAME, "unknown program 'echo-sever'", "echo-sever", "--port", "8080");
    }

    @Test
    void everyHelpListsHelpInAlignedColumns() throws Exception {
        List<List<String>> commands = List.of(List.of("--help"), List.of("echo-server", "--help"),
                List.of("echo-client", "--help"), List.of("forward", "--help"), List.of("http-get", "--help"),
                List.of("udp-echo-server", "--help"));
        for (List<String> command : commands) {
            TestSupport.Exit exit = TestSupport.launch(CHILD_TIMEOUT_SECONDS, command.toArray(String[]::new));
            assertEquals(0, exit.code(), command + ": " + exit.err());
            assertEquals("", exit.err(), command + " wrote to stderr");
            assertTableAligned(String.join(" ", command), exit.out());
        }
    }

    /**
     * Checks the option table of a help text: rows are the lines indented by two spaces, a name,
     * then the description; lines indented further continue the row above. Every description and
     * continuation starts in one column, and one row is {@code --help}.
     */
    private static void assertTableAligned(String command, String help) {
        assertTrue(help.startsWith("usage: "), command + ":\n" + help);
        List<String> rows = new ArrayList<>();
        int column = -1;
        boolean inTable = false;
        for (String line : help.lines().toList()) {
            if (line.startsWith("  ") && !line.startsWith("   ")) {
                String name = line.substring(2).split(" ", 2)[0];
                int description = line.indexOf(' ', 2);
                while (description >= 0 && description < line.length() && line.charAt(description) == ' ') {
                    description++;
                }
                if (description < 0 || description >= line.length() || line.indexOf("  ", 2) != 2 + name.length()) {
                    fail(command + ": the row of " + name + " needs two or more spaces between the name and the"
                            + " description:\n" + help);
                }
                if (column < 0) {
                    column = description;
                }
                assertEquals(column, description, command + ": the description of " + name
                        + " does not start in the column of the first row's:\n" + help);
                rows.add(name);
                inTable = true;
            } else if (inTable && line.startsWith("   ")) {
                int start = line.length() - line.stripLeading().length();
                assertEquals(column, start, command + ": a continuation line does not start in the description"
                        + " column: '" + line + "'\n" + help);
            } else {
                inTable = false;
            }
            assertTrue(line.length() <= 100, command + ": a line of more than 100 characters: " + line);
        }
        assertTrue(rows.contains("--help"), command + " does not list --help:\n" + help);
    }
}
