package io.panamanetty.tls;

import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.testing.LeakCheck;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SEC1 ("BEGIN EC PRIVATE KEY") keys, as {@code openssl ecparam -genkey} writes them, read and served. */
@ExtendWith(LeakCheck.class)
class Sec1KeysTest {
    @TempDir
    Path dir;

    /** An EC key in SEC1 form (with the EC PARAMETERS block ecparam puts first) and a certificate for it. */
    private TlsTestSupport.Certificate sec1(String curve) throws Exception {
        Path key = dir.resolve(curve + "-key.pem");
        Path cert = dir.resolve(curve + "-cert.pem");
        TlsTestSupport.run(dir, "openssl", "ecparam", "-name", curve, "-genkey", "-out", key.toString());
        assertTrue(Files.readString(key).contains("BEGIN EC PARAMETERS"));
        assertTrue(Files.readString(key).contains("BEGIN EC PRIVATE KEY"));
        TlsTestSupport.run(dir, "openssl", "req", "-x509", "-key", key.toString(), "-subj", "/CN=localhost",
                "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-days", "2", "-out", cert.toString());
        return new TlsTestSupport.Certificate(cert, key, null);
    }

    @ParameterizedTest
    @CsvSource({"prime256v1,-tls1_2", "prime256v1,-tls1_3", "secp384r1,-tls1_2", "secp384r1,-tls1_3"})
    void aSec1KeyServesTlsToOpenssl(String curve, String version) throws Exception {
        TlsTestSupport.Certificate cert = sec1(curve);
        PrivateKey read = PemFiles.privateKey(PemFiles.read(cert.key()), cert.key(), null);
        assertEquals(curve.equals("prime256v1") ? 256 : 384, ((ECPrivateKey) read).getParams().getOrder().bitLength());
        TlsContext server = TlsContexts.server(cert.cert(), cert.key()).build();
        try (EventLoopGroup group = new EventLoopGroup(1, "sec1")) {
            TlsTestSupport.EchoServer echo = TlsTestSupport.echoServer(group, server, 1);
            Path out = dir.resolve("s_client-" + curve + version + ".out");
            Process client = TlsTestSupport.start(out, "openssl", "s_client", "-connect", "127.0.0.1:" + echo.port(),
                    version, "-CAfile", cert.cert().toString(), "-servername", "localhost", "-verify_return_error");
            try {
                client.getOutputStream().write("sec1 echo\n".getBytes(StandardCharsets.US_ASCII));
                client.getOutputStream().flush();
                String output = TlsTestSupport.awaitFileContains(out, "sec1 echo", client);
                assertTrue(output.contains("Verify return code: 0"), output);
                assertTrue(echo.handshakes().await(TlsTestSupport.TIMEOUT_SECONDS, TimeUnit.SECONDS));
            } finally {
                TlsTestSupport.stop(client);
            }
            echo.channel().close().sync();
            assertTrue(echo.errors().isEmpty(), echo.errors().toString());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"-aes256", "-aes128", "-des3"})
    void anEncryptedSec1KeyIsReadWithItsPassword(String cipher) throws Exception {
        TlsTestSupport.Certificate cert = sec1("prime256v1");
        Path encrypted = dir.resolve("encrypted" + cipher + ".pem");
        TlsTestSupport.run(dir, "openssl", "ec", "-in", cert.key().toString(), cipher, "-passout", "pass:s3cret",
                "-out", encrypted.toString());
        assertTrue(Files.readString(encrypted).contains("Proc-Type: 4,ENCRYPTED"));
        PrivateKey plain = PemFiles.privateKey(PemFiles.read(cert.key()), cert.key(), null);
        assertEquals(plain, PemFiles.privateKey(PemFiles.read(encrypted), encrypted, "s3cret".toCharArray()));
        TlsContexts.server(cert.cert(), encrypted).keyPassword("s3cret".toCharArray()).build();

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TlsContexts.server(cert.cert(), encrypted).build());
        assertTrue(e.getMessage().contains("is encrypted") && e.getMessage().contains(encrypted.toAbsolutePath().toString()),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> TlsContexts.server(cert.cert(), encrypted).keyPassword("wrong".toCharArray()).build());
        assertTrue(e.getMessage().contains(encrypted.toAbsolutePath().toString()), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"-aes256", "-des3"})
    void aTraditionallyEncryptedRsaKeyIsReadWithItsPassword(String cipher) throws Exception {
        TlsTestSupport.Certificate cert = TlsTestSupport.selfSigned(dir, "rsa");
        Path encrypted = dir.resolve("rsa" + cipher + ".pem");
        TlsTestSupport.run(dir, "openssl", "rsa", "-in", cert.key().toString(), "-traditional", cipher,
                "-passout", "pass:pw", "-out", encrypted.toString());
        assertTrue(Files.readString(encrypted).contains("Proc-Type: 4,ENCRYPTED"));
        TlsContexts.server(cert.cert(), encrypted).keyPassword("pw".toCharArray()).build();
    }

    @org.junit.jupiter.api.Test
    void aMalformedSec1KeyIsNamed() throws Exception {
        TlsTestSupport.Certificate cert = TlsTestSupport.selfSigned(dir, "m");
        Path broken = Files.writeString(dir.resolve("broken.pem"),
                "-----BEGIN EC PRIVATE KEY-----\nMAMCAQE=\n-----END EC PRIVATE KEY-----\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TlsContexts.server(cert.cert(), broken).build());
        assertTrue(e.getMessage().contains("malformed SEC1") && e.getMessage().contains(broken.toAbsolutePath().toString()),
                e.getMessage());
    }
}
