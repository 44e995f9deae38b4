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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/** Reads certificates and private keys (PKCS#8, PKCS#1 RSA, SEC1 EC; plain or encrypted) from PEM files. */
final class PemFiles {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*(.*?)\\s*-----END \\1-----", Pattern.DOTALL);
    /** An RFC 1421 header line at the start of a block's body, e.g. {@code DEK-Info: AES-256-CBC,...}. */
    private static final Pattern HEADER = Pattern.compile("\\s*([A-Za-z][A-Za-z0-9-]*):[ \\t]*([^\\r\\n]*)\\r?\\n");
    private static final String[] KEY_ALGORITHMS = {"RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS", "DSA"};

    private PemFiles() {
    }

    /**
     * One PEM block: its label (e.g. {@code CERTIFICATE}), its RFC 1421 headers (e.g.
     * {@code Proc-Type}, {@code DEK-Info}; usually none) and its decoded content.
     */
    record Block(String label, Map<String, String> headers, byte[] der) {
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
            Map<String, String> headers = new LinkedHashMap<>();
            String body = m.group(2);
            Matcher header = HEADER.matcher(body);
            while (header.lookingAt()) {
                headers.put(header.group(1), header.group(2).trim());
                body = body.substring(header.end());
                header = HEADER.matcher(body);
            }
            byte[] der;
            try {
                der = Base64.getMimeDecoder().decode(body.strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("malformed base64 in the " + m.group(1) + " block of "
                        + file.toAbsolutePath(), e);
            }
            blocks.add(new Block(m.group(1), Map.copyOf(headers), der));
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
     * PKCS#1 RSA, SEC1 EC, encrypted PKCS#8, or PKCS#1 and SEC1 in OpenSSL's traditional
     * encrypted form ({@code Proc-Type: 4,ENCRYPTED}); the encrypted ones need {@code password}.
     */
    static PrivateKey privateKey(List<Block> blocks, Path file, char[] password) {
        String where = file.toAbsolutePath().toString();
        for (Block block : blocks) {
            switch (block.label()) {
                case "PRIVATE KEY" -> {
                    return decodePkcs8(block.der(), where);
                }
                case "RSA PRIVATE KEY" -> {
                    return decodePkcs8(rsaPkcs1ToPkcs8(traditional(block, where, password)), where);
                }
                case "EC PRIVATE KEY" -> {
                    byte[] pkcs8;
                    try {
                        pkcs8 = Sec1Keys.toPkcs8(traditional(block, where, password));
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("malformed SEC1 EC private key in " + where + ": "
                                + e.getMessage(), e);
                    }
                    return decodePkcs8(pkcs8, where);
                }
                case "ENCRYPTED PRIVATE KEY" -> {
                    if (password == null) {
                        throw passwordNeeded(where);
                    }
                    return decodePkcs8(decrypt(block.der(), password, where), where);
                }
                case "DSA PRIVATE KEY" ->
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

    /** {@return the DER of a PKCS#1 or SEC1 block, decrypted first if its headers say it is encrypted} */
    private static byte[] traditional(Block block, String where, char[] password) {
        if (!LegacyPemDecryption.isEncrypted(block.headers())) {
            return block.der();
        }
        if (password == null) {
            throw passwordNeeded(where);
        }
        try {
            return LegacyPemDecryption.decrypt(block.der(), block.headers(), password);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot decrypt the private key in " + where + ": " + e.getMessage()
                    + "; or decrypt it with: openssl pkcs8 -topk8 -nocrypt -in " + where + " -out key-pkcs8.pem", e);
        }
    }

    private static IllegalArgumentException passwordNeeded(String where) {
        return new IllegalArgumentException("the private key in " + where + " is encrypted: give its password"
                + " (TlsContexts.Builder.keyPassword; --key-password in the example programs), or decrypt it with:"
                + " openssl pkcs8 -topk8 -nocrypt -in " + where + " -out key-pkcs8.pem");
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
        return Der.encode(Der.SEQUENCE, version, algorithm, Der.encode(Der.OCTET_STRING, pkcs1));
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
