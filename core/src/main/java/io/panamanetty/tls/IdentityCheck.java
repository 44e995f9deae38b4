package io.panamanetty.tls;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAKey;
import java.util.Date;
import java.util.List;

/**
 * Checks an own certificate chain and private key when a context is built, so that a set-up
 * mistake stops the program at start instead of failing every handshake later: the key must
 * belong to the first certificate (the leaf), each certificate must be signed by the next, and
 * a leaf outside its validity dates is logged once as a warning (a server may be started on
 * purpose before a renewal is in place; clients will refuse it).
 */
final class IdentityCheck {
    private static final System.Logger LOGGER = System.getLogger(TlsContexts.class.getName());

    private IdentityCheck() {
    }

    /**
     * Checks {@code chain} (from {@code certificateFile}) and {@code key} (from {@code keyFile}).
     *
     * @return the warnings logged (none, or one for a leaf outside its dates)
     * @throws IllegalArgumentException naming both files: a key of another certificate or
     *                                  algorithm, a chain out of order or without its leaf
     */
    static List<String> check(List<X509Certificate> chain, Path certificateFile, PrivateKey key, Path keyFile) {
        String files = "the private key in " + keyFile.toAbsolutePath() + " and the certificate chain in "
                + certificateFile.toAbsolutePath();
        X509Certificate leaf = chain.getFirst();
        if (!matches(key, leaf.getPublicKey())) {
            for (int i = 1; i < chain.size(); i++) {
                if (matches(key, chain.get(i).getPublicKey())) {
                    throw new IllegalArgumentException(files + " are out of order: the key belongs to certificate "
                            + (i + 1) + " of " + chain.size() + " (" + subject(chain.get(i)) + "); put the leaf"
                            + " certificate first, then each issuer after the certificate it signed");
                }
            }
            String missingLeaf = leaf.getBasicConstraints() < 0 ? "" : "; the first certificate is a CA certificate:"
                    + " if it is the issuer, the chain is missing its leaf (put the certificate the key belongs to"
                    + " first)";
            throw new IllegalArgumentException(files + " do not go together: the key is "
                    + describe(key.getAlgorithm()) + ", the certificate (" + subject(leaf) + ") holds "
                    + describe(leaf.getPublicKey().getAlgorithm())
                    + (key.getAlgorithm().equals(leaf.getPublicKey().getAlgorithm()) ? " of another key pair" : "")
                    + missingLeaf);
        }
        for (int i = 0; i + 1 < chain.size(); i++) {
            X509Certificate child = chain.get(i);
            X509Certificate issuer = chain.get(i + 1);
            if (!child.getIssuerX500Principal().equals(issuer.getSubjectX500Principal()) || !signedBy(child, issuer)) {
                throw new IllegalArgumentException("the certificate chain in " + certificateFile.toAbsolutePath()
                        + " is out of order: certificate " + (i + 2) + " (" + subject(issuer) + ") did not issue"
                        + " certificate " + (i + 1) + " (" + subject(child) + ", issued by "
                        + child.getIssuerX500Principal().getName() + "); list the leaf first, then each issuer after"
                        + " the certificate it signed (the private key in " + keyFile.toAbsolutePath() + " fits the leaf)");
            }
        }
        return warnOutsideValidity(leaf, certificateFile);
    }

    private static List<String> warnOutsideValidity(X509Certificate leaf, Path certificateFile) {
        try {
            leaf.checkValidity(new Date());
            return List.of();
        } catch (CertificateExpiredException | CertificateNotYetValidException e) {
            String state = e instanceof CertificateExpiredException ? "has expired" : "is not valid yet";
            String warning = "the certificate in " + certificateFile.toAbsolutePath() + " (" + subject(leaf) + ") "
                    + state + ": valid from " + leaf.getNotBefore().toInstant() + " to "
                    + leaf.getNotAfter().toInstant() + "; verifying peers will refuse it";
            LOGGER.log(System.Logger.Level.WARNING, warning);
            return List.of(warning);
        }
    }

    /** {@return whether {@code key} is the private half of {@code publicKey}} */
    private static boolean matches(PrivateKey key, PublicKey publicKey) {
        if (!key.getAlgorithm().equals(publicKey.getAlgorithm())) {
            return false;
        }
        if (key instanceof RSAKey rsa && publicKey instanceof RSAKey rsaPublic) {
            return rsa.getModulus().equals(rsaPublic.getModulus());
        }
        String algorithm = switch (key.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "DSA" -> "SHA256withDSA";
            default -> key.getAlgorithm();   // Ed25519, Ed448, EdDSA
        };
        try {
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;   // e.g. an EC key of another curve
        }
    }

    private static boolean signedBy(X509Certificate child, X509Certificate issuer) {
        try {
            child.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static String describe(String algorithm) {
        return (algorithm.startsWith("D") ? "a " : "an ") + algorithm + " key";
    }

    private static String subject(X509Certificate certificate) {
        return certificate.getSubjectX500Principal().getName();
    }
}
