package io.panamanetty.tls;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import java.util.Arrays;
import java.util.List;

/**
 * What a context's engines negotiate with: protocol versions, cipher suites, named groups
 * (empty: the JDK's defaults) and ALPN protocols; checked against the JDK when the context is
 * built, set on each engine it makes.
 */
record EngineChoices(List<String> protocols, List<String> cipherSuites, List<String> namedGroups,
                     List<String> alpn) {

    EngineChoices {
        protocols = List.copyOf(protocols);
        cipherSuites = List.copyOf(cipherSuites);
        namedGroups = List.copyOf(namedGroups);
        alpn = List.copyOf(alpn);
    }

    /**
     * Checks the names against what {@code context} supports.
     *
     * @throws IllegalArgumentException naming what is not supported (and what is), or a cipher
     *                                  suite list with no suite for any enabled protocol
     */
    static void check(SSLContext context, List<String> protocols, List<String> cipherSuites, List<String> namedGroups) {
        SSLEngine probe = context.createSSLEngine();
        List<String> supported = Arrays.asList(probe.getSupportedProtocols());
        for (String protocol : protocols) {
            if (!supported.contains(protocol)) {
                throw new IllegalArgumentException("unsupported protocol " + protocol + "; supported: " + supported);
            }
        }
        List<String> suites = Arrays.asList(probe.getSupportedCipherSuites());
        for (String suite : cipherSuites) {
            if (!suites.contains(suite)) {
                throw new IllegalArgumentException("unsupported cipher suite " + suite + "; this JDK has: "
                        + String.join(", ", Arrays.asList(probe.getEnabledCipherSuites())));
            }
        }
        if (!cipherSuites.isEmpty()) {
            boolean tls13 = cipherSuites.stream().anyMatch(EngineChoices::isTls13Suite);
            boolean older = cipherSuites.stream().anyMatch(suite -> !isTls13Suite(suite));
            boolean usable = (tls13 && protocols.contains("TLSv1.3"))
                    || (older && protocols.stream().anyMatch(p -> !p.equals("TLSv1.3")));
            if (!usable) {
                throw new IllegalArgumentException("none of the cipher suites " + cipherSuites + " works with the"
                        + " protocols " + protocols + " (TLS 1.3 has only its own TLS_AES_* and TLS_CHACHA20_* suites)");
            }
        }
        String[] groups = context.getSupportedSSLParameters().getNamedGroups();
        List<String> known = groups == null ? List.of() : Arrays.asList(groups);
        for (String group : namedGroups) {
            if (!known.contains(group)) {
                throw new IllegalArgumentException("unsupported named group " + group + "; supported: " + known);
            }
        }
    }

    private static boolean isTls13Suite(String suite) {
        return suite.startsWith("TLS_AES_") || suite.startsWith("TLS_CHACHA20_");
    }

    /** Sets these choices on {@code params}. */
    void applyTo(SSLParameters params) {
        params.setProtocols(protocols.toArray(String[]::new));
        if (!cipherSuites.isEmpty()) {
            params.setCipherSuites(cipherSuites.toArray(String[]::new));
            params.setUseCipherSuitesOrder(true);
        }
        if (!namedGroups.isEmpty()) {
            params.setNamedGroups(namedGroups.toArray(String[]::new));
        }
        if (!alpn.isEmpty()) {
            params.setApplicationProtocols(alpn.toArray(String[]::new));
        }
    }
}
