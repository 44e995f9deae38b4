package io.panamanetty.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/** Reads certificates and private keys (PKCS#8, PKCS#1 RSA, encrypted PKCS#8) from PEM files. */
final class PemFiles {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*(.*?)\\s*-----END \\1-----", Pattern.DOTALL);
    private static final String[] KEY_ALGORITHMS = {"RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS", "DSA"};

    private PemFiles() {
    }

    /** One PEM block: its label (e.g. {@code CERTIFICATE}) and its decoded content. */
    record Block(String label, byte[] der) {
    }

    /** {@return the PEM blocks of {@code file}, in order} */
    static List<Block> read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("PEM file not found: " + file.toAbsolutePath(), e);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot read PEM file " + file.toAbsolutePath() + ": " + e, e);
        }
        List<Block> blocks = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            byte[] der;
            try {
                der = Base64.getMimeDecoder().decode(m.group(2));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("malformed base64 in the " + m.group(1) + " block of "
                        + file.toAbsolutePath(), e);
            }
            blocks.add(new Block(m.group(1), der));
        }
        return blocks;
    }

    /** {@return the X.509 certificates of {@code blocks} (from {@code file}), in order; at least one} */
    static List<X509Certificate> certificates(List<Block> blocks, Path file) {
        List<X509Certificate> certificates = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (Block block : blocks) {
                if (block.label().equals("CERTIFICATE") || block.label().equals("TRUSTED CERTIFICATE")) {
                    certificates.add((X509Certificate) factory.generateCertificate(
                            new ByteArrayInputStream(block.der())));
                }
            }
        } catch (CertificateException e) {
            throw new IllegalArgumentException("invalid certificate in " + file.toAbsolutePath() + ": "
                    + e.getMessage(), e);
        }
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException("no \"BEGIN CERTIFICATE\" block in " + file.toAbsolutePath());
        }
        return certificates;
    }

    /**
     * {@return the one private key of {@code blocks} (from {@code file})}: unencrypted PKCS#8,
     * PKCS#1 RSA, or encrypted PKCS#8 when {@code password} is given.
     */
    static PrivateKey privateKey(List<Block> blocks, Path file, char[] password) {
        String where = file.toAbsolutePath().toString();
        for (Block block : blocks) {
            switch (block.label()) {
                case "PRIVATE KEY" -> {
                    return decodePkcs8(block.der(), where);
                }
                case "RSA PRIVATE KEY" -> {
                    return decodePkcs8(rsaPkcs1ToPkcs8(block.der()), where);
                }
                case "ENCRYPTED PRIVATE KEY" -> {
                    if (password == null) {
                        throw new IllegalArgumentException("the private key in " + where + " is encrypted: give its"
                                + " password (keyPassword), or decrypt it with: openssl pkcs8 -topk8 -nocrypt -in "
                                + where + " -out key-pkcs8.pem");
                    }
                    return decodePkcs8(decrypt(block.der(), password, where), where);
                }
                case "EC PRIVATE KEY", "DSA PRIVATE KEY" ->
                        throw new IllegalArgumentException("unsupported private key format \"BEGIN " + block.label()
                                + "\" in " + where + "; use PKCS#8 (\"BEGIN PRIVATE KEY\")."
                                + " Convert it with: openssl pkcs8 -topk8 -nocrypt -in " + where
                                + " -out key-pkcs8.pem");
                default -> {
                }
            }
        }
        throw new IllegalArgumentException("no \"BEGIN PRIVATE KEY\" block in " + where);
    }

    /** Decrypts an encrypted PKCS#8 structure (PBES2 or PBES1) into the plain PKCS#8 DER. */
    private static byte[] decrypt(byte[] der, char[] password, String where) {
        try {
            EncryptedPrivateKeyInfo info = new EncryptedPrivateKeyInfo(der);
            String algorithm = info.getAlgName();
            if ((algorithm.equals("PBES2") || algorithm.equals("1.2.840.113549.1.5.13")) && info.getAlgParameters() != null) {
                algorithm = info.getAlgParameters().toString();   // e.g. PBEWithHmacSHA256AndAES_256
            }
            SecretKey key = SecretKeyFactory.getInstance(algorithm).generateSecret(new PBEKeySpec(password));
            Cipher cipher = Cipher.getInstance(algorithm);
            cipher.init(Cipher.DECRYPT_MODE, key, info.getAlgParameters());
            return info.getKeySpec(cipher).getEncoded();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot decrypt the private key in " + where
                    + " (wrong password, or an unsupported scheme: " + e.getMessage() + "); or decrypt it with:"
                    + " openssl pkcs8 -topk8 -nocrypt -in " + where + " -out key-pkcs8.pem", e);
        }
    }

    /** Wraps a PKCS#1 RSAPrivateKey in a PKCS#8 PrivateKeyInfo (rsaEncryption, NULL parameters). */
    static byte[] rsaPkcs1ToPkcs8(byte[] pkcs1) {
        byte[] version = {0x02, 0x01, 0x00};
        byte[] algorithm = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01,
                0x01, 0x01, 0x05, 0x00};
        byte[] octets = tlv(0x04, pkcs1);
        byte[] body = new byte[version.length + algorithm.length + octets.length];
        System.arraycopy(version, 0, body, 0, version.length);
        System.arraycopy(algorithm, 0, body, version.length, algorithm.length);
        System.arraycopy(octets, 0, body, version.length + algorithm.length, octets.length);
        return tlv(0x30, body);
    }

    /** {@return a DER tag-length-value} */
    private static byte[] tlv(int tag, byte[] value) {
        int n = value.length;
        int lengthBytes = n < 0x80 ? 0 : n < 0x100 ? 1 : n < 0x10000 ? 2 : n < 0x1000000 ? 3 : 4;
        byte[] out = new byte[2 + lengthBytes + n];
        out[0] = (byte) tag;
        if (lengthBytes == 0) {
            out[1] = (byte) n;
        } else {
            out[1] = (byte) (0x80 | lengthBytes);
            for (int i = 0; i < lengthBytes; i++) {
                out[2 + i] = (byte) (n >>> (8 * (lengthBytes - 1 - i)));
            }
        }
        System.arraycopy(value, 0, out, 2 + lengthBytes, n);
        return out;
    }

    private static PrivateKey decodePkcs8(byte[] der, String where) {
        GeneralSecurityException last = null;
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                last = e;
            }
        }
        throw new IllegalArgumentException("cannot decode the PKCS#8 private key in " + where
                + " (tried " + String.join(", ", KEY_ALGORITHMS) + ")", last);
    }
}
