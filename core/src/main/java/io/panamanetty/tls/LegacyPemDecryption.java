package io.panamanetty.tls;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

/**
 * Decrypts OpenSSL's "traditional" encrypted PEM blocks ({@code Proc-Type: 4,ENCRYPTED} with a
 * {@code DEK-Info} header, as {@code openssl ec -aes256} or {@code openssl genrsa -aes128
 * -traditional} write them): the key is OpenSSL's {@code EVP_BytesToKey} with MD5, one round,
 * the first 8 bytes of the IV as salt, and the cipher is AES or triple DES in CBC mode. All of
 * it is in the JDK; MD5 is what the format fixes, weak as it is, which is one reason to prefer
 * encrypted PKCS#8.
 */
final class LegacyPemDecryption {
    private record Scheme(String cipher, String keyAlgorithm, int keyBytes, int ivBytes) {
    }

    private static final Map<String, Scheme> SCHEMES = Map.of(
            "AES-128-CBC", new Scheme("AES/CBC/PKCS5Padding", "AES", 16, 16),
            "AES-192-CBC", new Scheme("AES/CBC/PKCS5Padding", "AES", 24, 16),
            "AES-256-CBC", new Scheme("AES/CBC/PKCS5Padding", "AES", 32, 16),
            "DES-EDE3-CBC", new Scheme("DESede/CBC/PKCS5Padding", "DESede", 24, 8));

    private LegacyPemDecryption() {
    }

    /** {@return whether {@code headers} (of one PEM block) say the block is encrypted} */
    static boolean isEncrypted(Map<String, String> headers) {
        String procType = headers.get("Proc-Type");
        return procType != null && procType.replace(" ", "").equalsIgnoreCase("4,ENCRYPTED");
    }

    /**
     * {@return the plaintext DER of an encrypted block}
     *
     * @throws IllegalArgumentException for an unknown cipher, a malformed header, or a wrong
     *                                  password (the message says which)
     */
    static byte[] decrypt(byte[] encrypted, Map<String, String> headers, char[] password) {
        String dekInfo = headers.get("DEK-Info");
        if (dekInfo == null || dekInfo.indexOf(',') < 0) {
            throw new IllegalArgumentException("the block is marked encrypted but has no valid DEK-Info header");
        }
        String name = dekInfo.substring(0, dekInfo.indexOf(',')).trim().toUpperCase(Locale.ROOT);
        Scheme scheme = SCHEMES.get(name);
        if (scheme == null) {
            throw new IllegalArgumentException("unsupported PEM encryption " + name + " (supported: "
                    + String.join(", ", SCHEMES.keySet().stream().sorted().toList()) + ")");
        }
        byte[] iv;
        try {
            iv = HexFormat.of().parseHex(dekInfo.substring(dekInfo.indexOf(',') + 1).trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the DEK-Info header's IV is not hexadecimal: " + dekInfo, e);
        }
        if (iv.length != scheme.ivBytes()) {
            throw new IllegalArgumentException("the DEK-Info header's IV has " + iv.length + " bytes; " + name
                    + " needs " + scheme.ivBytes());
        }
        byte[] secret = passwordBytes(password);
        byte[] key = bytesToKey(secret, Arrays.copyOf(iv, 8), scheme.keyBytes());
        try {
            Cipher cipher = Cipher.getInstance(scheme.cipher());
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, scheme.keyAlgorithm()), new IvParameterSpec(iv));
            return cipher.doFinal(encrypted);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot decrypt it (" + name + "): wrong password?", e);
        } finally {
            Arrays.fill(key, (byte) 0);
            Arrays.fill(secret, (byte) 0);
        }
    }

    /** OpenSSL's {@code EVP_BytesToKey(cipher, MD5, salt, password, 1)}: MD5 chained until enough bytes. */
    private static byte[] bytesToKey(byte[] password, byte[] salt, int length) {
        MessageDigest md5;
        try {
            md5 = MessageDigest.getInstance("MD5");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no MD5, which the PEM encryption format needs", e);
        }
        byte[] key = new byte[length];
        byte[] previous = new byte[0];
        for (int filled = 0; filled < length; ) {
            md5.update(previous);
            md5.update(password);
            md5.update(salt);
            previous = md5.digest();
            int n = Math.min(previous.length, length - filled);
            System.arraycopy(previous, 0, key, filled, n);
            filled += n;
        }
        return key;
    }

    private static byte[] passwordBytes(char[] password) {
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        return bytes;
    }
}
