package io.panamanetty.tls;

import io.panamanetty.testing.DatedCertificates;

import io.panamanetty.testing.LeakCheck;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Set-up mistakes are refused when the context is built, naming the files; a dated certificate is warned about. */
@ExtendWith(LeakCheck.class)
class TlsSetupMistakesTest {
    @TempDir
    static Path dir;
    static TlsTestSupport.Certificate ca;
    static TlsTestSupport.Certificate leaf;
    static TlsTestSupport.Certificate other;

    @BeforeAll
    static void certificates() throws Exception {
        ca = TlsTestSupport.certificateAuthority(dir, "ca", "Setup CA");
        leaf = TlsTestSupport.issued(dir, ca, "leaf", "localhost");
        other = TlsTestSupport.selfSigned(dir, "other");
    }

    private static IllegalArgumentException refusedServer(Path chain, Path key) {
        return assertThrows(IllegalArgumentException.class, () -> TlsContexts.server(chain, key).build());
    }

    private static void assertNames(IllegalArgumentException e, Path... files) {
        for (Path file : files) {
            assertTrue(e.getMessage().contains(file.toAbsolutePath().toString()), e.getMessage());
        }
    }

    @Test
    void aKeyOfAnotherRsaPairIsRefusedNamingBothFiles() {
        IllegalArgumentException e = refusedServer(leaf.cert(), other.key());
        assertNames(e, leaf.cert(), other.key());
        assertTrue(e.getMessage().contains("do not go together") && e.getMessage().contains("another key pair"),
                e.getMessage());
    }

    @Test
    void anRsaKeyForAnEcCertificateIsRefusedNamingBothFiles() throws Exception {
        Path ecKey = dir.resolve("ec-key.pem");
        Path ecCert = dir.resolve("ec-cert.pem");
        TlsTestSupport.run(dir, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                "-nodes", "-subj", "/CN=localhost", "-days", "2", "-keyout", ecKey.toString(), "-out", ecCert.toString());
        IllegalArgumentException e = refusedServer(ecCert, other.key());
        assertNames(e, ecCert, other.key());
        assertTrue(e.getMessage().contains("the key is an RSA key") && e.getMessage().contains("holds an EC key"),
                e.getMessage());
        // and the other way round, on a client's identity
        e = assertThrows(IllegalArgumentException.class,
                () -> TlsContexts.client().identity(other.cert(), ecKey).build());
        assertNames(e, other.cert(), ecKey);
    }

    @Test
    void aClientIdentityWithTheWrongKeyIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TlsContexts.client().identity(leaf.cert(), other.key()).build());
        assertNames(e, leaf.cert(), other.key());
    }

    @Test
    void aChainWithTheIssuerFirstIsOutOfOrder() throws Exception {
        Path reversed = Files.writeString(dir.resolve("reversed.pem"),
                Files.readString(ca.cert()) + Files.readString(leaf.cert()));
        IllegalArgumentException e = refusedServer(reversed, leaf.key());
        assertNames(e, reversed, leaf.key());
        assertTrue(e.getMessage().contains("out of order") && e.getMessage().contains("certificate 2 of 2"),
                e.getMessage());
    }

    @Test
    void aChainWithoutItsLeafIsRefused() {
        IllegalArgumentException e = refusedServer(ca.cert(), leaf.key());
        assertNames(e, ca.cert(), leaf.key());
        assertTrue(e.getMessage().contains("missing its leaf"), e.getMessage());
    }

    @Test
    void anUnrelatedSecondCertificateIsOutOfOrder() throws Exception {
        Path mixed = Files.writeString(dir.resolve("mixed.pem"),
                Files.readString(leaf.cert()) + Files.readString(other.cert()));
        IllegalArgumentException e = refusedServer(mixed, leaf.key());
        assertNames(e, mixed, leaf.key());
        assertTrue(e.getMessage().contains("did not issue certificate 1"), e.getMessage());
        // the right order is accepted
        Path good = Files.writeString(dir.resolve("good.pem"),
                Files.readString(leaf.cert()) + Files.readString(ca.cert()));
        TlsContexts.server(good, leaf.key()).build();
    }

    @Test
    void anExpiredServerCertificateStartsWithOneWarningNamingTheDates(@TempDir Path own) throws Exception {
        DatedCertificates.Chain chain = DatedCertificates.issue(own, "20200101000000Z", "20200102000000Z");
        String message = onlyWarning(() -> TlsContexts.server(chain.leaf(), chain.leafKey()).build());
        assertTrue(message.contains(chain.leaf().toAbsolutePath().toString()) && message.contains("has expired")
                && message.contains("2020-01-01T00:00:00Z") && message.contains("2020-01-02T00:00:00Z"), message);
    }

    @Test
    void aNotYetValidServerCertificateStartsWithOneWarning(@TempDir Path own) throws Exception {
        DatedCertificates.Chain chain = DatedCertificates.issue(own, "20990101000000Z", "20990102000000Z");
        String message = onlyWarning(() -> TlsContexts.server(chain.leaf(), chain.leafKey()).build());
        assertTrue(message.contains("is not valid yet") && message.contains("2099-01-01T00:00:00Z"), message);
    }

    @Test
    void aValidCertificateStartsWithoutWarning() {
        List<String> warnings = TlsContexts.server(leaf.cert(), leaf.key()).build().warnings();
        assertTrue(warnings.isEmpty(), warnings.toString());
    }

    private static String onlyWarning(java.util.function.Supplier<TlsContext> build) {
        List<String> warnings = build.get().warnings();
        assertEquals(1, warnings.size(), warnings.toString());
        return warnings.getFirst();
    }
}
