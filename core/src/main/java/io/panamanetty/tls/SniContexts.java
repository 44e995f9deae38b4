package io.panamanetty.tls;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Which server context serves which host name on one port, chosen by the name a client asks
 * for in its ClientHello (SNI), as Netty's {@code SniHandler} does:
 * <pre>{@code
 * SniContexts sni = SniContexts.builder(TlsContexts.server(defaultCert, defaultKey).build())
 *         .add("api.example.org", TlsContexts.server(apiCert, apiKey).build())
 *         .add("*.example.net", TlsContexts.server(netCert, netKey).build())
 *         .build();
 * new ServerBootstrap().tls(sni).childHandler(MyHandler::new).bind(443);
 * }</pre>
 * An exact name wins over a wildcard; {@code *.example.net} stands for exactly one label more
 * ({@code a.example.net}, not {@code example.net} nor {@code a.b.example.net}), as in
 * certificates. A client that sends no name, or one that matches nothing, gets the default.
 * Names are compared without case and without a trailing dot. Each entry (and the default) is a
 * {@link TlsContext} or any supplier of one, such as a {@link ReplaceableTlsContext}, asked
 * once per connection. Immutable and thread-safe; each channel gets its own
 * {@link SniHandler} from {@link #newHandler()}.
 */
public final class SniContexts {
    private final Supplier<TlsContext> defaultContext;
    private final Map<String, Supplier<TlsContext>> byName;

    private SniContexts(Supplier<TlsContext> defaultContext, Map<String, Supplier<TlsContext>> byName) {
        this.defaultContext = defaultContext;
        this.byName = Map.copyOf(byName);
    }

    /** {@return a builder whose default (no name, no match) is {@code defaultContext}} */
    public static Builder builder(TlsContext defaultContext) {
        Objects.requireNonNull(defaultContext, "defaultContext");
        return builder(() -> defaultContext);
    }

    /** {@return a builder whose default is what {@code defaultContext} supplies when a connection comes} */
    public static Builder builder(Supplier<TlsContext> defaultContext) {
        return new Builder(Objects.requireNonNull(defaultContext, "defaultContext"));
    }

    /**
     * {@return the entry {@code serverName} selects: the exact name, else the wildcard one label
     * up, else {@code null} for the default}
     */
    public String match(String serverName) {
        if (serverName == null) {
            return null;
        }
        String name = normalize(serverName);
        if (byName.containsKey(name)) {
            return name;
        }
        int dot = name.indexOf('.');
        if (dot > 0) {
            String wildcard = "*" + name.substring(dot);
            if (byName.containsKey(wildcard)) {
                return wildcard;
            }
        }
        return null;
    }

    /** {@return the context for a client asking for {@code serverName} (null: none asked for)} */
    public TlsContext select(String serverName) {
        String entry = match(serverName);
        TlsContext context = (entry == null ? defaultContext : byName.get(entry)).get();
        if (context == null || context.isClient()) {
            throw new IllegalStateException("the SNI entry " + (entry == null ? "(default)" : entry)
                    + " supplied " + (context == null ? "no context" : "a client context"));
        }
        return context;
    }

    /** {@return a handler for one new server-side channel: it picks the context once the ClientHello is in} */
    public SniHandler newHandler() {
        return new SniHandler(this, defaultContext.get().handshakeTimeout());
    }

    private static String normalize(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }

    @Override
    public String toString() {
        return "SniContexts(" + byName.keySet() + " and a default)";
    }

    /** Entries of an {@link SniContexts}; not thread-safe. */
    public static final class Builder {
        private final Supplier<TlsContext> defaultContext;
        private final Map<String, Supplier<TlsContext>> byName = new LinkedHashMap<>();

        private Builder(Supplier<TlsContext> defaultContext) {
            this.defaultContext = defaultContext;
        }

        /**
         * Serves {@code hostName} (e.g. {@code "example.org"}, or {@code "*.example.org"}) with {@code context}.
         *
         * @throws IllegalArgumentException for a malformed name, a name given twice, or a client context
         */
        public Builder add(String hostName, TlsContext context) {
            Objects.requireNonNull(context, "context");
            if (context.isClient()) {
                throw new IllegalArgumentException("a client TlsContext cannot serve " + hostName);
            }
            return add(hostName, () -> context);
        }

        /** Serves {@code hostName} with what {@code context} supplies when a connection comes (see {@link #add(String, TlsContext)}). */
        public Builder add(String hostName, Supplier<TlsContext> context) {
            Objects.requireNonNull(context, "context");
            String name = normalize(Objects.requireNonNull(hostName, "hostName"));
            String labels = name.startsWith("*.") ? name.substring(2) : name;
            if (labels.isEmpty() || labels.contains("*") || labels.startsWith(".") || labels.contains("..")
                    || !labels.chars().allMatch(c -> c == '.' || c == '-' || c == '_' || Character.isLetterOrDigit(c))) {
                throw new IllegalArgumentException("not a host name or *.wildcard: \"" + hostName + "\"");
            }
            if (byName.putIfAbsent(name, context) != null) {
                throw new IllegalArgumentException("host name given twice: " + name);
            }
            return this;
        }

        /** {@return the mapping} */
        public SniContexts build() {
            return new SniContexts(defaultContext, byName);
        }
    }
}
