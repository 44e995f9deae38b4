package io.panamanetty.examples;

import io.panamanetty.testing.DatedCertificates;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The programs take encrypted and SEC1 keys, and refuse a key that does not fit its certificate at start. */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class TlsKeyOptionsProgramsTest {

    @Test
    void echoServerAndClientTakeEncryptedKeysWithKeyPassword(@TempDir Path dir) throws Exception {
        TestCertificates.Certificate server = TestCertificates.selfSigned(dir, "server");
        TestCertificates.Certificate client = TestCertificates.selfSigned(dir, "client");
        Path serverKey = dir.resolve("server-enc.pem");
        TestCertificates.run(dir, "openssl", "pkcs8", "-topk8", "-in", server.key().toString(), "-v2", "aes-256-cbc",
                "-passout", "pass:server secret", "-out", serverKey.toString());
        Path clientKey = dir.resolve("client-enc.pem");
        TestCertificates.run(dir, "openssl", "rsa", "-in", client.key().toString(), "-traditional", "-aes128",
                "-passout", "pass:client-pw", "-out", clientKey.toString());
        Path passwordFile = Files.writeString(dir.resolve("password.txt"), "client-pw\n");

        // without the password: one line naming the file and the option, exit 1
        TlsProgramsTest.JavaRun refused = TlsProgramsTest.runJava(dir, "io.panamanetty.examples.EchoServer",
                "--port", "0", "--cert", server.cert().toString(), "--key", serverKey.toString());
        assertEquals(1, refused.code(), refused.output());
        assertTrue(refused.output().contains(serverKey.toString()) && refused.output().contains("--key-password"),
                refused.output());
        assertEquals(1, refused.output().strip().lines().count(), refused.output());

        int port = TestSupport.freePort();
        Path serverLog = dir.resolve("server.log");
        Process echoServer = TlsProgramsTest.startJava(serverLog, "io.panamanetty.examples.EchoServer", "--host",
                "127.0.0.1", "--port", String.valueOf(port), "--cert", server.cert().toString(),
                "--key", serverKey.toString(), "--key-password", "pass:server secret",
                "--client-ca", client.cert().toString());
        try {
            TlsProgramsTest.awaitFileContains(serverLog, "listening on", echoServer);
            TlsProgramsTest.JavaRun echo = TlsProgramsTest.runJava(dir, "io.panamanetty.examples.EchoClient",
                    "--host", "localhost", "--port", String.valueOf(port), "--ca", server.cert().toString(),
                    "--cert", client.cert().toString(), "--key", clientKey.toString(),
                    "--key-password", "file:" + passwordFile, "--count", "10");
            assertEquals(0, echo.code(), echo.output());
            TlsProgramsTest.JavaRun wrong = TlsProgramsTest.runJava(dir, "io.panamanetty.examples.EchoClient",
                    "--host", "localhost", "--port", String.valueOf(port), "--ca", server.cert().toString(),
                    "--cert", client.cert().toString(), "--key", clientKey.toString(),
                    "--key-password", "not-it", "--count", "1");
            assertEquals(1, wrong.code(), wrong.output());
            assertTrue(wrong.output().contains(clientKey.toString()), wrong.output());
        } finally {
            TlsProgramsTest.stop(echoServer);
        }
    }

    @Test
    void keyPasswordWithoutKeyIsAUsageError(@TempDir Path dir) throws Exception {
        for (String program : new String[] {"EchoServer", "EchoClient", "HttpGet"}) {
            TlsProgramsTest.JavaRun run = TlsProgramsTest.runJava(dir, "io.panamanetty.examples." + program,
                    "--key-password", "x");
            assertEquals(2, run.code(), program + ": " + run.output());
            assertTrue(run.output().contains("--key-password needs --key"), run.output());
        }
        TlsProgramsTest.JavaRun unset = TlsProgramsTest.runJava(dir, "io.panamanetty.examples.EchoClient",
                "--cert", "c.pem", "--key", "k.pem", "--key-password", "env:PANAMA_NETTY_SURELY_UNSET");
        assertEquals(2, unset.code(), unset.output());
        assertTrue(unset.output().contains("PANAMA_NETTY_SURELY_UNSET is not set"), unset.output());
    }

    @Test
    void echoServerRefusesAKeyOfAnotherCertificateNamingBothFiles(@TempDir Path dir) throws Exception {
        TestCertificates.Certificate one = TestCertificates.selfSigned(dir, "one");
        TestCertificates.Certificate two = TestCertificates.selfSigned(dir, "two");
        TlsProgramsTest.JavaRun run = TlsProgramsTest.runJava(dir, "io.panamanetty.examples.EchoServer",
                "--port", "0", "--cert", one.cert().toString(), "--key", two.key().toString());
        assertEquals(1, run.code(), run.output());
        assertTrue(run.output().contains(one.cert().toString()) && run.output().contains(two.key().toString())
                && run.output().contains("do not go together"), run.output());
        assertEquals(1, run.output().strip().lines().count(), run.output());
    }

    @Test
    void echoServerServesASec1KeyAndWarnsOnceAboutAnExpiredCertificate(@TempDir Path dir) throws Exception {
        Path key = dir.resolve("ec-key.pem");
        Path cert = dir.resolve("ec-cert.pem");
        TestCertificates.run(dir, "openssl", "ecparam", "-name", "secp384r1", "-genkey", "-out", key.toString());
        TestCertificates.run(dir, "openssl", "req", "-x509", "-key", key.toString(), "-subj", "/CN=localhost",
                "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-days", "2", "-out", cert.toString());
        int port = TestSupport.freePort();
        Path serverLog = dir.resolve("server.log");
        Process echoServer = TlsProgramsTest.startJava(serverLog, "io.panamanetty.examples.EchoServer", "--host",
                "127.0.0.1", "--port", String.valueOf(port), "--cert", cert.toString(), "--key", key.toString());
        try {
            String started = TlsProgramsTest.awaitFileContains(serverLog, "listening on", echoServer);
            assertTrue(!started.contains("WARNING"), started);
            TlsProgramsTest.JavaRun echo = TlsProgramsTest.runJava(dir, "io.panamanetty.examples.EchoClient",
                    "--host", "localhost", "--port", String.valueOf(port), "--ca", cert.toString(), "--count", "10");
            assertEquals(0, echo.code(), echo.output());
        } finally {
            TlsProgramsTest.stop(echoServer);
        }

        Path old = Files.createDirectory(dir.resolve("old"));
        DatedCertificates.Chain expired = DatedCertificates.issue(old, "20200101000000Z", "20200102000000Z");
        Path expiredLog = dir.resolve("expired.log");
        Process expiredServer = TlsProgramsTest.startJava(expiredLog, "io.panamanetty.examples.EchoServer", "--host",
                "127.0.0.1", "--port", "0", "--cert", expired.leaf().toString(), "--key", expired.leafKey().toString());
        try {
            String started = TlsProgramsTest.awaitFileContains(expiredLog, "listening on", expiredServer);
            List<String> warnings = started.lines().filter(line -> line.contains("has expired")).toList();
            assertEquals(1, warnings.size(), started);
            assertTrue(warnings.getFirst().contains("WARNING") && warnings.getFirst().contains("2020-01-02T00:00:00Z")
                    && warnings.getFirst().contains(expired.leaf().toString()), started);
        } finally {
            TlsProgramsTest.stop(expiredServer);
        }
    }
}
