package io.panamanetty.tls;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import java.net.Socket;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * A client's trust manager that verifies exactly as the JDK's does, and when the server's
 * certificate is refused says what to do about it: for a chain that leads to no trusted CA,
 * how to trust that CA; for a name mismatch, the host asked for and the names the certificate
 * carries; for a certificate out of its dates, the dates.
 */
final class HintingTrustManager extends X509ExtendedTrustManager {
    private final X509ExtendedTrustManager delegate;
    /** The CA file the client trusts, or null for the JDK's trust store. */
    private final java.nio.file.Path trusted;

    HintingTrustManager(X509ExtendedTrustManager delegate, java.nio.file.Path trusted) {
        this.delegate = delegate;
        this.trusted = trusted;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        try {
            delegate.checkServerTrusted(chain, authType, engine);
        } catch (CertificateException e) {
            throw hinted(e, chain, engine == null ? null : engine.getPeerHost(), trusted);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        try {
            delegate.checkServerTrusted(chain, authType, socket);
        } catch (CertificateException e) {
            throw hinted(e, chain, null, trusted);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        try {
            delegate.checkServerTrusted(chain, authType);
        } catch (CertificateException e) {
            throw hinted(e, chain, null, trusted);
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        delegate.checkClientTrusted(chain, authType, engine);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        delegate.checkClientTrusted(chain, authType, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        delegate.checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return delegate.getAcceptedIssuers();
    }

    /** {@return {@code refusal} with a hint appended, or itself if there is none to give} */
    static CertificateException hinted(CertificateException refusal, X509Certificate[] chain, String host,
                                       java.nio.file.Path trusted) {
        if (chain == null || chain.length == 0) {
            return refusal;
        }
        X509Certificate leaf = chain[0];
        String message = String.valueOf(refusal.getMessage());
        String hint = null;
        if (causedBy(refusal, CertPathBuilderException.class) || message.contains("PKIX path building failed")) {
            X509Certificate top = chain[chain.length - 1];
            hint = "the server's certificate (" + leaf.getSubjectX500Principal().getName() + ") does not lead to a"
                    + " CA this client trusts (the last certificate it sent was issued by "
                    + top.getIssuerX500Principal().getName() + "; this client trusts "
                    + (trusted == null ? "the JDK's trust store" : "only the CAs in " + trusted.toAbsolutePath())
                    + "); to trust that CA, give its certificate: TlsContexts.client().trust(caPem), or --ca FILE"
                    + " in the example programs";
        } else if (message.contains("No subject alternative") || message.contains("No name matching")) {
            hint = "the certificate is for " + names(leaf) + ", not for " + (host == null ? "the host asked for"
                    : "\"" + host + "\" (the host asked for)") + "; connect by one of its names, or use a"
                    + " certificate that names this host";
        } else if (message.contains("validity check failed") || message.contains("NotAfter")
                || message.contains("NotBefore")) {
            hint = "the server's certificate (" + leaf.getSubjectX500Principal().getName() + ") is valid from "
                    + leaf.getNotBefore().toInstant() + " to " + leaf.getNotAfter().toInstant();
        }
        if (hint == null) {
            return refusal;
        }
        CertificateException hinted = new CertificateException(message + ": " + hint, refusal);
        return hinted;
    }

    private static boolean causedBy(Throwable t, Class<? extends Throwable> kind) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (kind.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    /** {@return the DNS and IP names of {@code certificate}, or its subject if it has none} */
    static String names(X509Certificate certificate) {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
            if (alternatives != null) {
                for (List<?> entry : alternatives) {
                    int type = (Integer) entry.get(0);
                    if (type == 2 || type == 7) {   // dNSName, iPAddress
                        names.add(String.valueOf(entry.get(1)));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // no readable names: fall back to the subject
        }
        return names.isEmpty() ? "no host name (subject " + certificate.getSubjectX500Principal().getName()
                + ", no subject alternative names)" : String.join(", ", names);
    }
}
