package io.panamanetty.tls;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Builds {@link TlsContext}s.
 * <pre>{@code
 * TlsContext server = TlsContexts.server(Path.of("chain.pem"), Path.of("key.pem")).build();
 * TlsContext client = TlsContexts.client().build();                          // JDK trust store
 * TlsContext client = TlsContexts.client().trust(Path.of("ca.pem")).build(); // a private CA
 *
 * // mutual TLS: the server requires a certificate from one of its clients' CA ...
 * TlsContext server = TlsContexts.server(Path.of("chain.pem"), Path.of("key.pem"))
 *         .clientAuth(ClientAuth.REQUIRE).trust(Path.of("clients-ca.pem")).build();
 * // ... and the client presents one
 * TlsContext client = TlsContexts.client().trust(Path.of("ca.pem"))
 *         .identity(Path.of("client-chain.pem"), Path.of("client-key.pem")).build();
 * }</pre>
 * Defaults: TLS 1.3 and 1.2 only, with the JDK's cipher suites, named groups and session cache; a client verifies the server's certificate chain and
 * host name ({@link #client()}) and presents no certificate; a server asks for no client
 * certificate ({@link ClientAuth#NONE}); handshake timeout 10 s; no ALPN.
 */
public final class TlsContexts {
    /** The protocols enabled unless {@link Builder#protocols} says otherwise. */
    public static final List<String> DEFAULT_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
    /** The handshake timeout unless {@link Builder#handshakeTimeout} says otherwise. */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    private TlsContexts() {
    }

    /**
     * A server builder with the certificate chain (leaf first) from {@code certificateChainPem}
     * and the private key from {@code privateKeyPem}: PKCS#8 ({@code BEGIN PRIVATE KEY}), PKCS#1 RSA
     * ({@code BEGIN RSA PRIVATE KEY}), SEC1 EC ({@code BEGIN EC PRIVATE KEY}, as {@code openssl
     * ecparam -genkey} writes it), or any of them encrypted (PKCS#8's {@code BEGIN ENCRYPTED PRIVATE
     * KEY}, OpenSSL's {@code Proc-Type: 4,ENCRYPTED} with AES or triple DES) with
     * {@link Builder#keyPassword}; for other formats the error names the {@code openssl pkcs8 -topk8
     * -nocrypt} command that converts them. The files are read by {@link Builder#build()}, which
     * refuses a key that does not belong to the first certificate and a chain out of order, naming
     * both files, and warns about a certificate outside its validity dates ({@link TlsContext#warnings()}).
     */
    public static Builder server(Path certificateChainPem, Path privateKeyPem) {
        return new Builder(false, Objects.requireNonNull(certificateChainPem, "certificateChainPem"),
                Objects.requireNonNull(privateKeyPem, "privateKeyPem"));
    }

    /** A server builder with the certificate chain and the private key both in {@code pem}. */
    public static Builder server(Path pem) {
        Objects.requireNonNull(pem, "pem");
        return new Builder(false, pem, pem);
    }

    /** A client builder: verifies servers against the JDK's default trust store unless told otherwise. */
    public static Builder client() {
        return new Builder(true, null, null);
    }

    /**
     * A server using a ready {@link SSLContext} (made, say, from a {@code KeyStore} through a
     * {@code KeyManagerFactory}); the protocol, ALPN, {@linkplain Builder#clientAuth client
     * authentication} and timeout settings still apply (client certificates are then checked by
     * the context's own trust managers).
     */
    public static Builder server(SSLContext context) {
        Builder builder = new Builder(false, null, null);
        builder.provided = java.util.Objects.requireNonNull(context, "context");
        return builder;
    }

    /**
     * A client using a ready {@link SSLContext} (its trust managers decide what is trusted, its
     * key managers which certificate, if any, it presents); host-name verification stays on
     * unless {@code verify(false)}.
     */
    public static Builder client(SSLContext context) {
        Builder builder = new Builder(true, null, null);
        builder.provided = java.util.Objects.requireNonNull(context, "context");
        return builder;
    }

    /** Settings of one context; not thread-safe. */
    public static final class Builder {
        private final boolean client;
        /** The own certificate chain and key: a server's always, a client's with {@link #identity}. */
        private Path certificates;
        private Path key;
        private SSLContext provided;
        private Path trust;
        private char[] keyPassword;
        private boolean verify = true;
        private ClientAuth clientAuth = ClientAuth.NONE;
        private List<String> protocols = DEFAULT_PROTOCOLS;
        private List<String> alpn = List.of();
        private Duration handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;
        private List<String> cipherSuites = List.of();
        private List<String> namedGroups = List.of();
        private int sessionCacheSize = -1;
        /** What {@link IdentityCheck} warned about while building. */
        private List<String> warnings = List.of();
        private Duration sessionTimeout;

        private Builder(boolean client, Path certificates, Path key) {
            this.client = client;
            this.certificates = certificates;
            this.key = key;
        }

        /**
         * The password of an encrypted key ({@code BEGIN ENCRYPTED PRIVATE KEY}, or a PKCS#1 or
         * SEC1 key with {@code Proc-Type: 4,ENCRYPTED}): a server's, or a client's after {@link #identity}.
         *
         * @throws IllegalStateException on a client without an identity (yet)
         */
        public Builder keyPassword(char[] password) {
            if (client && certificates == null) {
                throw new IllegalStateException("keyPassword(...) applies to server contexts and to client contexts"
                        + " with an identity: call identity(...) first");
            }
            this.keyPassword = password.clone();
            return this;
        }

        /**
         * Trusts the CA certificates in {@code caPem} instead of the JDK trust store. On a client:
         * the CAs the server's certificate must chain to. On a server: the CAs client certificates
         * must chain to, which needs {@link #clientAuth} {@code OPTIONAL} or {@code REQUIRE}
         * (and which those need, on a server not made from a ready {@code SSLContext}).
         */
        public Builder trust(Path caPem) {
            this.trust = Objects.requireNonNull(caPem, "caPem");
            return this;
        }

        /**
         * Server only: whether to ask clients for a certificate ({@link ClientAuth#NONE} by
         * default); see {@link ClientAuth} for how a refusal shows and how to read the client's
         * certificate.
         */
        public Builder clientAuth(ClientAuth clientAuth) {
            if (client) {
                throw new IllegalStateException("clientAuth(...) applies to server contexts only");
            }
            this.clientAuth = Objects.requireNonNull(clientAuth, "clientAuth");
            return this;
        }

        /**
         * Client only: presents the certificate chain (leaf first) from {@code certificateChainPem}
         * and the private key from {@code privateKeyPem} to servers that ask for one (mutual TLS).
         * The key formats are the server's ({@link TlsContexts#server(Path, Path)}), an encrypted
         * key taking {@link #keyPassword}. The files are read by {@link #build()}. The JDK offers
         * the certificate only if the server accepts its CA (when the server names the CAs it
         * accepts); otherwise none is sent.
         */
        public Builder identity(Path certificateChainPem, Path privateKeyPem) {
            requireClient("identity");
            if (provided != null) {
                throw new IllegalStateException("identity(...) does not apply to a client made from a ready SSLContext:"
                        + " give its KeyManagers the certificate");
            }
            this.certificates = Objects.requireNonNull(certificateChainPem, "certificateChainPem");
            this.key = Objects.requireNonNull(privateKeyPem, "privateKeyPem");
            return this;
        }

        /** Client only: {@link #identity(Path, Path)} with the certificate chain and the key both in {@code pem}. */
        public Builder identity(Path pem) {
            Objects.requireNonNull(pem, "pem");
            return identity(pem, pem);
        }

        /**
         * Client only: {@code false} turns off ALL verification of the server (chain and host
         * name), which leaves the connection open to impersonation. For tests only.
         */
        public Builder verify(boolean verify) {
            requireClient("verify");
            this.verify = verify;
            return this;
        }

        /** The protocol versions to enable, e.g. {@code "TLSv1.3"}. */
        public Builder protocols(String... protocols) {
            if (protocols.length == 0) {
                throw new IllegalArgumentException("no protocol given");
            }
            this.protocols = List.of(protocols);
            return this;
        }

        /**
         * The cipher suites to enable, by their JDK (IANA) names, e.g. {@code "TLS_AES_128_GCM_SHA256"}
         * (TLS 1.3) or {@code "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"} (TLS 1.2); a server prefers them
         * in the order given. By default the JDK's. A peer offering none of them fails the handshake.
         * {@link #build()} refuses a name the JDK does not know, and a list with no suite for any
         * of the {@linkplain #protocols enabled protocols}.
         */
        public Builder cipherSuites(String... suites) {
            if (suites.length == 0) {
                throw new IllegalArgumentException("no cipher suite given");
            }
            this.cipherSuites = List.of(suites);
            return this;
        }

        /**
         * The key-exchange groups to offer or accept, e.g. {@code "x25519"}, {@code "secp256r1"},
         * {@code "ffdhe2048"}, in preference order; by default the JDK's. {@link #build()} refuses a
         * name the JDK does not support.
         */
        public Builder namedGroups(String... groups) {
            if (groups.length == 0) {
                throw new IllegalArgumentException("no named group given");
            }
            this.namedGroups = List.of(groups);
            return this;
        }

        /**
         * How many sessions the context keeps for resumption (0: no limit); the JDK's default
         * is 20480. A server resumes TLS 1.3 sessions from tickets and TLS 1.2 ones from this
         * cache or tickets; a client keeps the sessions it may resume here.
         */
        public Builder sessionCacheSize(int size) {
            if (size < 0) {
                throw new IllegalArgumentException("session cache size must be 0 (no limit) or more: " + size);
            }
            this.sessionCacheSize = size;
            return this;
        }

        /** How long a session may be resumed after it was made (whole seconds, at least one); the JDK's default is 24 h. */
        public Builder sessionTimeout(Duration timeout) {
            if (timeout.toSeconds() < 1 || timeout.toSeconds() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("session timeout must be 1 s or more: " + timeout);
            }
            this.sessionTimeout = timeout;
            return this;
        }

        /** The ALPN protocols, in preference order, e.g. {@code "h2", "http/1.1"}. */
        public Builder alpn(String... protocols) {
            this.alpn = List.of(protocols);
            return this;
        }

        /** How long a handshake may take before the channel is closed (positive). */
        public Builder handshakeTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("handshake timeout must be positive: " + timeout);
            }
            this.handshakeTimeout = timeout;
            return this;
        }

        /**
         * Reads the files, checks that the own key belongs to the first certificate and that each
         * certificate of the chain is issued by the next, and makes the context.
         *
         * @throws IllegalArgumentException if a file is missing, unreadable or malformed (the
         *                                  message names it), the key and certificate do not go
         *                                  together or the chain is out of order (naming both
         *                                  files), or a setting is unsupported
         * @throws IllegalStateException    if settings conflict: {@link #trust} on a server without
         *                                  {@link #clientAuth}, or on a ready {@code SSLContext};
         *                                  {@link #clientAuth} without {@link #trust}
         */
        public TlsContext build() {
            if (!client && trust != null && clientAuth == ClientAuth.NONE) {
                throw new IllegalStateException("trust(...) on a server names the CAs of client certificates:"
                        + " it needs clientAuth(ClientAuth.OPTIONAL) or clientAuth(ClientAuth.REQUIRE)");
            }
            if (!client && provided == null && trust == null && clientAuth != ClientAuth.NONE) {
                throw new IllegalStateException("clientAuth(" + clientAuth + ") needs trust(caPem), the CAs whose"
                        + " client certificates are accepted: the JDK's public trust store would accept a certificate"
                        + " from any public CA (to want that, build the server from a ready SSLContext)");
            }
            if (provided != null && trust != null) {
                throw new IllegalStateException("trust(...) does not apply to a context made from a ready SSLContext:"
                        + " give its TrustManagers the CAs");
            }
            try {
                SSLContext context = provided;
                warnings = List.of();
                if (context == null) {
                    context = SSLContext.getInstance("TLS");
                    boolean ownKey = certificates != null;
                    boolean checksPeers = client || clientAuth != ClientAuth.NONE;
                    context.init(ownKey ? keyManagers() : null, checksPeers ? trustManagers() : null, null);
                }
                EngineChoices.check(context, protocols, cipherSuites, namedGroups);
                SSLSessionContext sessions = client ? context.getClientSessionContext()
                        : context.getServerSessionContext();
                if (sessionCacheSize >= 0) {
                    sessions.setSessionCacheSize(sessionCacheSize);
                }
                if (sessionTimeout != null) {
                    sessions.setSessionTimeout((int) sessionTimeout.toSeconds());
                }
                return new TlsContext(context, client, verify, new EngineChoices(protocols, cipherSuites, namedGroups,
                        alpn), handshakeTimeout, clientAuth, client && certificates != null, warnings);
            } catch (GeneralSecurityException e) {
                throw new IllegalArgumentException("cannot set up TLS: " + e.getMessage(), e);
            }
        }

        private KeyManager[] keyManagers() throws GeneralSecurityException {
            List<PemFiles.Block> certBlocks = PemFiles.read(certificates);
            List<X509Certificate> chain = PemFiles.certificates(certBlocks, certificates);
            PrivateKey privateKey = PemFiles.privateKey(key.equals(certificates) ? certBlocks : PemFiles.read(key), key, keyPassword);
            warnings = IdentityCheck.check(chain, certificates, privateKey, key);
            char[] password = new char[0];
            KeyStore store = emptyStore();
            store.setKeyEntry("key", privateKey, password, chain.toArray(X509Certificate[]::new));
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(store, password);
            return factory.getKeyManagers();
        }

        private TrustManager[] trustManagers() throws GeneralSecurityException {
            if (client && !verify) {
                return new TrustManager[]{new TrustAll()};
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (trust == null) {
                factory.init((KeyStore) null);
            } else {
                KeyStore store = emptyStore();
                List<X509Certificate> cas = PemFiles.certificates(PemFiles.read(trust), trust);
                for (int i = 0; i < cas.size(); i++) {
                    store.setCertificateEntry("ca-" + i, cas.get(i));
                }
                factory.init(store);
            }
            TrustManager[] managers = factory.getTrustManagers();
            if (client) {
                for (int i = 0; i < managers.length; i++) {
                    if (managers[i] instanceof X509ExtendedTrustManager jdk) {
                        managers[i] = new HintingTrustManager(jdk, trust);
                    }
                }
            }
            return managers;
        }

        private static KeyStore emptyStore() throws GeneralSecurityException {
            KeyStore store = KeyStore.getInstance("PKCS12");
            try {
                store.load(null, null);
            } catch (java.io.IOException e) {
                throw new GeneralSecurityException(e);
            }
            return store;
        }

        private void requireClient(String setting) {
            if (!client) {
                throw new IllegalStateException(setting + "(...) applies to client contexts only");
            }
        }
    }
}
