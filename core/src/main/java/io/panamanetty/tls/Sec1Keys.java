package io.panamanetty.tls;

import java.util.Arrays;

/**
 * Turns a SEC1 EC private key (RFC 5915 {@code ECPrivateKey}, what {@code openssl ecparam
 * -genkey} writes as {@code BEGIN EC PRIVATE KEY}) into the PKCS#8 {@code PrivateKeyInfo} the
 * JDK's key factory reads. The curve comes from the key's own {@code parameters} field, which
 * must name a curve (explicit curve parameters are refused).
 */
final class Sec1Keys {
    /** {@code 1.2.840.10045.2.1}, id-ecPublicKey, as DER. */
    private static final byte[] EC_PUBLIC_KEY_OID = {0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};
    private static final byte[] VERSION_0 = {0x02, 0x01, 0x00};

    private Sec1Keys() {
    }

    /**
     * {@return the PKCS#8 DER of the SEC1 key {@code sec1}}
     *
     * @throws IllegalArgumentException saying what is wrong with the structure
     */
    static byte[] toPkcs8(byte[] sec1) {
        Der.Element key = new Der.Reader(sec1).next(Der.SEQUENCE, "SEC1 ECPrivateKey");
        Der.Reader fields = key.children();
        Der.Element version = fields.next(Der.INTEGER, "SEC1 version");
        if (!Arrays.equals(version.content(), new byte[] {1})) {
            throw new IllegalArgumentException("SEC1 key version " + Arrays.toString(version.content())
                    + " (only version 1 exists)");
        }
        fields.next(Der.OCTET_STRING, "SEC1 private key octets");
        byte[] curve = null;
        while (fields.hasNext()) {
            Der.Element field = fields.next();
            if (field.tag() == Der.CONTEXT_0) {
                Der.Element parameters = field.children().next();
                if (parameters.tag() != Der.OBJECT_IDENTIFIER) {
                    throw new IllegalArgumentException("the SEC1 key has explicit curve parameters, not a named"
                            + " curve; write it with a named curve: openssl ec -param_enc named_curve");
                }
                curve = Der.encode(parameters);
            }
        }
        if (curve == null) {
            throw new IllegalArgumentException("the SEC1 key does not name its curve (no parameters field)");
        }
        byte[] algorithm = Der.encode(Der.SEQUENCE, EC_PUBLIC_KEY_OID, curve);
        return Der.encode(Der.SEQUENCE, VERSION_0, algorithm, Der.encode(Der.OCTET_STRING, sec1));
    }
}
