package io.panamanetty.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * echo-server replaces its certificate when the files change or on SIGHUP: the next
 * connection gets the new one (compared by the certificate openssl prints), an open
 * connection keeps working, a pair that does not fit is refused and the current one kept.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class CertificateReloadProgramTest {
    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN CERTIFICATE-----\\s*(.*?)\\s*-----END CERTIFICATE-----", Pattern.DOTALL);

    private static String certificateIn(String text) {
        Matcher m = PEM.matcher(text);
        assertTrue(m.find(), text);
        return m.group(1).replaceAll("\\s", "");
    }

    private static void install(TestCertificates.Certificate source, Path cert, Path key) throws Exception {
        // as a renewal tool does: each new file written beside the old one, then renamed over it
        Path newKey = Files.copy(source.key(), key.resolveSibling("key.pem.new"), StandardCopyOption.REPLACE_EXISTING);
        Files.move(newKey, key, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Path newCert = Files.copy(source.cert(), cert.resolveSibling("cert.pem.new"), StandardCopyOption.REPLACE_EXISTING);
        Files.move(newCert, cert, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Runs s_client to the end of one echo; returns its output (with the server's certificate). */
    private static String connectOnce(Path dir, int port, Path ca, String name) throws Exception {
        Path out = dir.resolve(name + ".out");
        Process client = TestSupport.startTool(new ProcessBuilder("openssl", "s_client", "-connect",
                "127.0.0.1:" + port, "-CAfile", ca.toString(), "-verify_return_error", "-servername", "localhost")
                .redirectErrorStream(true).redirectOutput(out.toFile()), "openssl");
        try {
            client.getOutputStream().write((name + "\n").getBytes(StandardCharsets.US_ASCII));
            client.getOutputStream().flush();
            return TlsProgramsTest.awaitFileContains(out, "\n" + name + "\n", client);
        } finally {
            TlsProgramsTest.stop(client);
        }
    }

    /** Waits until {@code log} has at least {@code lines} lines containing {@code part}; returns it. */
    private static String awaitCount(Path log, String part, long lines, Process process) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String text = Files.readString(log);
        while (count(text, part) < lines && process.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(50);
            text = Files.readString(log);
        }
        assertTrue(count(text, part) >= lines, text);
        return text;
    }

    private static long count(String text, String part) {
        return text.lines().filter(line -> line.contains(part)).count();
    }

    @Test
    void echoServerReloadsOnChangeAndOnSighup(@TempDir Path dir) throws Exception {
        TestCertificates.Certificate first = TestCertificates.selfSigned(dir, "first");
        TestCertificates.Certificate second = TestCertificates.selfSigned(dir, "second");
        TestCertificates.Certificate unrelated = TestCertificates.selfSigned(dir, "unrelated");
        Path live = Files.createDirectory(dir.resolve("live"));
        Path cert = live.resolve("cert.pem");
        Path key = live.resolve("key.pem");
        install(first, cert, key);

        int port = TestSupport.freePort();
        Path serverLog = dir.resolve("server.log");
        Process server = TlsProgramsTest.startJava(serverLog, "io.panamanetty.examples.EchoServer", "--host",
                "127.0.0.1", "--port", String.valueOf(port), "--cert", cert.toString(), "--key", key.toString());
        Path openOut = dir.resolve("open.out");
        Process open = null;
        try {
            TlsProgramsTest.awaitFileContains(serverLog, "listening on", server);
            assertEquals(certificateIn(Files.readString(first.cert())), certificateIn(connectOnce(dir, port, first.cert(), "one")));

            open = TestSupport.startTool(new ProcessBuilder("openssl", "s_client", "-connect", "127.0.0.1:" + port,
                    "-CAfile", first.cert().toString(), "-verify_return_error", "-servername", "localhost")
                    .redirectErrorStream(true).redirectOutput(openOut.toFile()), "openssl");
            OutputStream openInput = open.getOutputStream();
            openInput.write("before\n".getBytes(StandardCharsets.US_ASCII));
            openInput.flush();
            TlsProgramsTest.awaitFileContains(openOut, "\nbefore\n", open);

            // renewed files: seen by the poll, one line, and served to the next connection
            install(second, cert, key);
            String log = TlsProgramsTest.awaitFileContains(serverLog, "reloaded the certificate", server);
            String reloaded = log.lines().filter(line -> line.contains("reloaded the certificate")).toList().getFirst();
            assertTrue(reloaded.startsWith("echo-server: after a change of ") && reloaded.contains(cert.toString()),
                    reloaded);
            assertEquals(certificateIn(Files.readString(second.cert())),
                    certificateIn(connectOnce(dir, port, second.cert(), "two")));

            // the connection opened before still echoes
            openInput.write("after\n".getBytes(StandardCharsets.US_ASCII));
            openInput.flush();
            TlsProgramsTest.awaitFileContains(openOut, "\nafter\n", open);

            // a key that does not fit: refused in one line naming the files, the current pair kept
            // (the poll may already have seen the renewal half done: a key without its certificate)
            long refusals = count(Files.readString(serverLog), "kept the current certificate");
            Files.copy(unrelated.key(), key, StandardCopyOption.REPLACE_EXISTING);
            log = awaitCount(serverLog, "kept the current certificate", refusals + 1, server);
            String refusal = log.lines().filter(line -> line.contains("kept the current certificate")).toList().getLast();
            assertTrue(refusal.contains(key.toString()) && refusal.contains(cert.toString())
                    && refusal.contains("do not go together"), refusal);
            assertEquals(certificateIn(Files.readString(second.cert())),
                    certificateIn(connectOnce(dir, port, second.cert(), "three")));

            // SIGHUP with the right key back: reloaded at once, and the JVM does not take SIGHUP as "stop"
            Files.copy(second.key(), key, StandardCopyOption.REPLACE_EXISTING);
            Process hup = new ProcessBuilder("kill", "-HUP", String.valueOf(server.pid())).inheritIO().start();
            assertEquals(0, hup.waitFor());
            log = TlsProgramsTest.awaitFileContains(serverLog, "after SIGHUP, reloaded", server);
            assertTrue(server.isAlive(), log);
            assertEquals(certificateIn(Files.readString(second.cert())),
                    certificateIn(connectOnce(dir, port, second.cert(), "four")));
        } finally {
            if (open != null) {
                TlsProgramsTest.stop(open);
            }
            TlsProgramsTest.stop(server);
        }
    }
}
