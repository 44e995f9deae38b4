package io.panamanetty.tls;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/** Reads the peer's certificate chain out of a TLS session, for {@link TlsHandler#peerCertificates()}. */
final class PeerCertificates {
    private PeerCertificates() {
    }

    /** {@return the X.509 certificates the peer presented in {@code session}, leaf first; empty if none} */
    static List<X509Certificate> of(SSLSession session) {
        Certificate[] chain;
        try {
            chain = session.getPeerCertificates();
        } catch (SSLPeerUnverifiedException e) {
            return List.of();   // the peer sent none (a client without a certificate)
        }
        List<X509Certificate> certificates = new ArrayList<>(chain.length);
        for (Certificate certificate : chain) {
            if (certificate instanceof X509Certificate x509) {
                certificates.add(x509);
            }
        }
        return List.copyOf(certificates);
    }
}
