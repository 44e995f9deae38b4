package io.panamanetty.examples;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.bootstrap.Bootstrap;
import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelHandlerAdapter;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.tls.TlsContext;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * py-netty's "As TCP client" examples (plain and TLS) as a small tool: sends one HTTP/1.1 GET with
 * {@code Connection: close} and prints the response, status line and headers
 * included, as its bytes arrive; done when the server closes the connection.
 */
public final class HttpGet {
    static final String USAGE = """
            usage: http-get URL [--ca FILE | --insecure] [--cert FILE --key FILE]
                                [--key-password P]
                   http-get --host HOST [--port PORT] [--path PATH] [--tls] [--ca FILE | --insecure]
                            [--cert FILE --key FILE] [--key-password P]
            Sends "GET PATH HTTP/1.1" with Host and "Connection: close", prints the response
            (status line, headers and body, as received) to stdout and exits 0 when the
            server closes the connection; exits 1 if it cannot connect, the TLS handshake
            fails, the connection fails or the server closes it without replying.
              URL             http://HOST[:PORT][/PATH] or https://HOST[:PORT][/PATH]
              --host          the server, a name or an address
              --port          its port, 1 to 65535 (default 80, or 443 with TLS)
              --path          what to get (default /)
              --tls           HTTPS: the server's certificate is verified against the JDK's trust
                              store and must match HOST
              --ca            trust the CA certificate(s) in this PEM file instead (implies TLS)
              --insecure      do NOT verify the server's certificate at all (implies TLS; tests only)
              --cert          present this PEM client certificate chain to a server that asks for
                              one (mutual TLS; implies TLS); needs --key
              --key           the PEM private key of --cert (may be the same file as --cert)
              --key-password  the password of an encrypted --key: pass:TEXT, env:VARIABLE
                              (not shown by ps), file:PATH (its first line), or the text itself
              --help          this text
            With an http:// URL the TLS options are ignored: the URL says plain HTTP.
            """;

    private HttpGet() {
    }

    /** Runs the client; the exit code says how it went (0 done, 1 failed, 2 bad usage). */
    public static void main(String[] args) throws InterruptedException {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Parses {@code args} and fetches; the response goes to {@code out}, messages to {@code err}.
     *
     * @return the exit code: 0 when the server closed the connection after responding, 1 if
     *         the connection could not be made or failed (TLS handshake included) or closed
     *         without a reply, 2 for bad usage
     */
    static int run(String[] args, PrintStream out, PrintStream err) throws InterruptedException {
        String host;
        int port;
        String path;
        TlsOptions.Settings tls;
        try {
            CommandLine options = CommandLine.parse(args, Set.of("--host", "--port", "--path", "--ca", "--cert",
                            "--key", "--key-password"),
                    Set.of("--tls", "--insecure", "--help"), 1);
            if (options.has("--help")) {
                out.print(USAGE);
                return 0;
            }
            String url = options.arguments().isEmpty() ? null : options.arguments().getFirst();
            boolean https = url != null && url.regionMatches(true, 0, "https:", 0, 6);
            tls = TlsOptions.parse(options, https);
            if (url != null && !https) {
                if (options.has("--tls")) {
                    throw new IllegalArgumentException("--tls with an http:// URL: use an https:// URL");
                }
                tls = TlsOptions.plain();   // --ca, --insecure and --cert are for https:// URLs
            }
            int defaultPort = tls.tls() ? 443 : 80;
            if (url != null) {
                if (options.has("--host") || options.has("--port") || options.has("--path")) {
                    throw new IllegalArgumentException("give either a URL or --host/--port/--path, not both");
                }
                URI uri = parseUrl(url);
                host = uri.getHost();
                if (host.startsWith("[") && host.endsWith("]")) {
                    host = host.substring(1, host.length() - 1);
                }
                port = uri.getPort() < 0 ? defaultPort : uri.getPort();
                path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
                if (uri.getRawQuery() != null) {
                    path += "?" + uri.getRawQuery();
                }
            } else {
                if (!options.has("--host")) {
                    throw new IllegalArgumentException("give a URL, or --host (--help lists the options)");
                }
                host = options.get("--host", null);
                port = options.getPort("--port", defaultPort, false);
                path = options.get("--path", "/");
                if (!path.startsWith("/")) {
                    path = "/" + path;
                }
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("the port must be 1 to 65535, not " + port);
            }
            if (path.chars().anyMatch(c -> c <= ' ' || c >= 127)) {
                throw new IllegalArgumentException("the path must not contain spaces or control characters;"
                        + " percent-encode them");
            }
        } catch (IllegalArgumentException e) {
            return CommandLine.usageError("http-get", e, err);
        }
        TlsContext context;
        try {
            context = tls.context();
        } catch (IllegalArgumentException e) {
            err.println("http-get: " + e.getMessage());   // names the CA file and what is wrong
            return 1;
        }
        return fetch(host, port, path, context, out, err);
    }

    private static URI parseUrl(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL: " + e.getMessage());
        }
        if (!("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
                || uri.getHost() == null) {
            throw new IllegalArgumentException("need an http:// or https://HOST[:PORT][/PATH] URL, not '"
                    + url + "'");
        }
        return uri;
    }

    /**
     * Connects (over TLS with {@code tls}, plain TCP if it is null), sends the request and
     * copies the response to {@code out}; returns the exit code.
     */
    static int fetch(String host, int port, String path, TlsContext tls, OutputStream out, PrintStream err)
            throws InterruptedException {
        ResponsePrinter printer = new ResponsePrinter(out);
        Channel channel;
        try {
            // No group: the bootstrap makes a one-thread group and ends it when the channel closes.
            Bootstrap bootstrap = new Bootstrap().handler(() -> printer);
            if (tls != null) {
                bootstrap.tls(tls);   // the connect future completes after the handshake, or fails with why
            }
            channel = bootstrap.connect(host, port).sync().channel();
        } catch (RuntimeException e) {
            // names the address and the reason
            err.println("http-get: " + TlsOptions.describeConnectFailure(e, new HostPort(host, port)));
            return 1;
        }
        int defaultPort = tls != null ? 443 : 80;
        String hostHeader = (host.indexOf(':') >= 0 ? "[" + host + "]" : host)
                + (port == defaultPort ? "" : ":" + port);
        String request = "GET " + path + " HTTP/1.1\r\n"
                + "Host: " + hostHeader + "\r\n"
                + "User-Agent: panama-netty-http-get\r\n"
                + "Accept: */*\r\n"
                + "Connection: close\r\n"
                + "\r\n";
        channel.writeAndFlush(request.getBytes(StandardCharsets.US_ASCII));
        channel.closeFuture().sync();
        try {
            out.flush();
        } catch (IOException e) {
            printer.failure = e;
        }
        if (printer.failure != null) {
            err.println("http-get: the connection to " + new HostPort(host, port) + " failed: "
                    + printer.failure.getMessage());
            return 1;
        }
        if (printer.received == 0) {
            err.println("http-get: " + new HostPort(host, port) + " closed the connection without a reply");
            return 1;
        }
        return 0;
    }

    /** Copies every byte received to the output as it arrives. */
    private static final class ResponsePrinter extends ChannelHandlerAdapter {
        private final OutputStream out;
        private volatile Throwable failure;
        private volatile long received;

        ResponsePrinter(OutputStream out) {
            this.out = out;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) throws IOException {
            Buffer buffer = (Buffer) message;
            received += buffer.readableBytes();   // on the event loop only
            out.write(buffer.toByteArray());
            out.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (failure == null) {
                failure = cause;
            }
            ctx.close();
        }
    }
}
