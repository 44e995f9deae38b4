package io.panamanetty.examples;

import java.net.InetSocketAddress;

import io.panamanetty.channel.Channel;
import io.panamanetty.channel.DomainSocketAddress;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.channel.IoHandlerFactory;
import io.panamanetty.bootstrap.ServerBootstrap;
import io.panamanetty.tls.ClientAuth;
import io.panamanetty.tls.ReplaceableTlsContext;
import io.panamanetty.tls.TlsContext;
import io.panamanetty.tls.TlsContexts;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.concurrent.TimeUnit;

/**
 * The echo server of py-netty's README:
 * {@code ServerBootstrap().bind(address='0.0.0.0', port=8080).close_future().sync()}.
 * With {@code --cert} and {@code --key} it serves TLS, as py-netty's
 * {@code ServerBootstrap(certfile=..., keyfile=...)} does, and reloads the certificate and key
 * when their files change or on {@code SIGHUP} ({@link CertificateReloader}). Stops cleanly on
 * Ctrl-C or SIGTERM.
 */
public final class EchoServer {
    static final String USAGE = """
            usage: echo-server [--host HOST] [--port PORT | --unix PATH] [--workers N] [--transport T]
                               [--cert FILE --key FILE] [--key-password P] [--client-ca FILE]
            Echoes every byte it receives back to its sender, over plain TCP (or a Unix domain
            socket) or, with --cert and --key, TLS; stops on Ctrl-C or SIGTERM. Under TLS it
            reloads the certificate and key (and --client-ca) when the files change or on
            SIGHUP: new connections get the new pair, open ones keep theirs; a new pair that
            does not work is refused and the current one kept.
              --host          address to listen on (default 0.0.0.0)
              --port          port to listen on, 0 to 65535; 0 takes a free one (default 8080)
              --unix          listen on this Unix domain socket file instead of TCP (removed on
                              exit); @NAME is a Linux abstract name, with no file
              --workers       worker threads, 1 to 1024 (default: one per processor)
            """ + CommandLine.TRANSPORT_HELP + """
              --cert          serve TLS with this PEM certificate chain (leaf first); needs --key
              --key           the PEM private key of --cert (may be the same file as --cert)
              --key-password  the password of an encrypted --key: pass:TEXT, env:VARIABLE
                              (not shown by ps), file:PATH (its first line), or the text itself
              --client-ca     require a client certificate issued by a CA in this PEM file
                              (mutual TLS); needs --cert and --key
              --help          this text
            """;

    private EchoServer() {
    }

    /** Runs the server until interrupted. */
    public static void main(String[] args) throws InterruptedException {
        String host;
        int port;
        DomainSocketAddress unix;
        int workers;
        IoHandlerFactory transport;
        String cert;
        String key;
        String clientCa;
        char[] keyPassword;
        try {
            CommandLine options = CommandLine.parse(args, Set.of("--host", "--port", "--unix", "--workers", "--transport", "--cert",
                            "--key", "--key-password", "--client-ca"),
                    Set.of("--help"));
            if (options.has("--help")) {
                System.out.print(USAGE);
                return;
            }
            host = options.get("--host", "0.0.0.0");
            port = options.getPort("--port", 8080, true);
            unix = options.has("--unix") ? Endpoint.unixAddress("--unix", options.get("--unix", null), true) : null;
            if (unix != null && (options.has("--host") || options.has("--port"))) {
                throw new IllegalArgumentException("--unix listens on a Unix domain socket: give no --host or --port"
                        + " with it");
            }
            workers = options.getWorkers();
            transport = options.getTransport(unix != null);
            cert = options.get("--cert", null);
            key = options.get("--key", null);
            if ((cert == null) != (key == null)) {
                throw new IllegalArgumentException("give both --cert and --key (the same file may be given twice),"
                        + " or neither");
            }
            keyPassword = TlsOptions.keyPassword(options, key != null);
            clientCa = options.get("--client-ca", null);
            if (clientCa != null && cert == null) {
                throw new IllegalArgumentException("--client-ca needs --cert and --key: client certificates"
                        + " are asked for over TLS");
            }
        } catch (IllegalArgumentException e) {
            System.exit(CommandLine.usageError("echo-server", e, System.err));
            return;
        }

        ServerBootstrap bootstrap = new ServerBootstrap();
        ReplaceableTlsContext tls = null;
        Supplier<TlsContext> tlsFromFiles = null;
        if (cert != null) {
            String certFile = cert;
            String keyFile = key;
            String caFile = clientCa;
            char[] password = keyPassword;
            tlsFromFiles = () -> {
                TlsContexts.Builder builder = TlsContexts.server(Path.of(certFile), Path.of(keyFile));
                if (password != null) {
                    builder.keyPassword(password);
                }
                if (caFile != null) {
                    builder.clientAuth(ClientAuth.REQUIRE).trust(Path.of(caFile));
                }
                return builder.build();   // reads the files now
            };
            try {
                tls = new ReplaceableTlsContext(tlsFromFiles.get());
                bootstrap.tls(tls);
            } catch (IllegalArgumentException e) {
                System.err.println("echo-server: " + e.getMessage());   // names the file and what is wrong
                System.exit(1);
                return;
            }
        }

        EventLoopGroup acceptor = null;
        EventLoopGroup worker = null;
        Channel server;
        try {
            acceptor = new EventLoopGroup(1, "Acceptor", transport);
            worker = new EventLoopGroup(workers, "Worker", transport);
            server = bootstrap.group(acceptor, worker)
                    .bind(unix != null ? unix : new InetSocketAddress(host, port)).sync().channel();
        } catch (RuntimeException e) {
            System.err.println("echo-server: " + e.getMessage());
            for (EventLoopGroup group : new EventLoopGroup[] {acceptor, worker}) {
                if (group != null) {
                    group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
                }
            }
            System.exit(1);
            return;
        }
        EventLoopGroup acceptorGroup = acceptor;
        EventLoopGroup workerGroup = worker;
        CertificateReloader reloader = null;
        if (tls != null) {
            List<Path> files = new ArrayList<>(List.of(Path.of(cert), Path.of(key)));
            if (clientCa != null) {
                files.add(Path.of(clientCa));
            }
            reloader = new CertificateReloader("echo-server", files, tlsFromFiles, tls, acceptor.next(), System.out,
                    System.err);
            reloader.start();
        }
        CertificateReloader stopReloading = reloader;
        Thread shutdown = new Thread(() -> {
            if (stopReloading != null) {
                stopReloading.stop();
            }
            server.close();
            acceptorGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            workerGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            System.out.println("echo-server: stopped");
        }, "echo-server-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdown);
        System.out.println("echo-server: listening on " + Endpoint.describe(server.localAddress())
                + (cert != null ? " with TLS" : "")
                + (clientCa != null ? ", client certificates required" : "") + " (Ctrl-C to stop)");
        server.closeFuture().sync();
    }
}
