package io.panamanetty.tls;

import io.panamanetty.testing.LeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(LeakCheck.class)
class TlsContextsTest {
    @TempDir
    Path dir;

    @Test
    void missingFileIsNamed() {
        Path missing = dir.resolve("nope.pem");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TlsContexts.server(missing, missing).build());
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    }

    @Test
    void unsupportedKeyFormatsExplainTheConversion() throws Exception {
        TlsTestSupport.Certificate cert = TlsTestSupport.selfSigned(dir, "c");
        Path dsa = Files.writeString(dir.resolve("dsa.pem"), "-----BEGIN DSA PRIVATE KEY-----\nAAAA\n-----END DSA PRIVATE KEY-----\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TlsContexts.server(cert.cert(), dsa).build());
        assertTrue(e.getMessage().contains("openssl pkcs8 -topk8 -nocrypt -in " + dsa.toAbsolutePath()), e.getMessage());
        assertTrue(e.getMessage().contains("DSA PRIVATE KEY"), e.getMessage());

        Path encrypted = dir.resolve("enc.pem");
        TlsTestSupport.run(dir, "openssl", "pkcs8", "-topk8", "-in", cert.key().toString(), "-v2", "aes-256-cbc",
                "-passout", "pass:secret", "-out", encrypted.toString());
        e = assertThrows(IllegalArgumentException.class, () -> TlsContexts.server(cert.cert(), encrypted).build());
        assertTrue(e.getMessage().contains("openssl pkcs8 -topk8 -nocrypt -in " + encrypted.toAbsolutePath()),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> TlsContexts.server(cert.cert(), encrypted).keyPassword("wrong".toCharArray()).build());
        assertTrue(e.getMessage().contains("wrong password"), e.getMessage());
    }

    @Test
    void pkcs1RsaAndEncryptedPkcs8KeysAreRead() throws Exception {
        TlsTestSupport.Certificate cert = TlsTestSupport.selfSigned(dir, "k");
        PrivateKey expected = PemFiles.privateKey(PemFiles.read(cert.key()), cert.key(), null);

        Path rsa = dir.resolve("rsa.pem");
        TlsTestSupport.run(dir, "openssl", "pkey", "-in", cert.key().toString(), "-traditional", "-out", rsa.toString());
        assertTrue(Files.readString(rsa).contains("BEGIN RSA PRIVATE KEY"));
        assertEquals(expected, PemFiles.privateKey(PemFiles.read(rsa), rsa, null));
        TlsContexts.server(cert.cert(), rsa).build();

        Path encrypted = dir.resolve("enc.pem");
        TlsTestSupport.run(dir, "openssl", "pkcs8", "-topk8", "-in", cert.key().toString(), "-v2", "aes-256-cbc",
                "-passout", "pass:secret", "-out", encrypted.toString());
        assertEquals(expected, PemFiles.privateKey(PemFiles.read(encrypted), encrypted, "secret".toCharArray()));
        TlsContexts.server(cert.cert(), encrypted).keyPassword("secret".toCharArray()).build();
    }

    @Test
    void fileWithoutKeyOrCertificateSaysSo() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.pem"), "nothing here\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TlsContexts.server(empty).build());
        assertTrue(e.getMessage().contains("BEGIN CERTIFICATE") && e.getMessage().contains(empty.toString()),
                e.getMessage());
    }

    @Test
    void defaultsAndSideChecks() throws Exception {
        TlsTestSupport.Certificate cert = TlsTestSupport.selfSigned(dir, "d");
        TlsContext server = TlsContexts.server(cert.combined()).build();
        assertEquals(List.of("TLSv1.3", "TLSv1.2"), server.protocols());
        assertFalse(server.isClient());
        assertThrows(IllegalStateException.class, () -> server.newHandler("localhost", 1));
        TlsContext client = TlsContexts.client().build();
        assertTrue(client.isClient());
        assertThrows(IllegalStateException.class, client::newHandler);
        assertThrows(IllegalStateException.class, () -> TlsContexts.server(cert.combined()).verify(false));
        assertThrows(IllegalArgumentException.class, () -> TlsContexts.client().protocols("TLSv9").build());
    }
}
