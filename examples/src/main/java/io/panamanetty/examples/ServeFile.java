package io.panamanetty.examples;

import io.panamanetty.bootstrap.ServerBootstrap;
import io.panamanetty.channel.Channel;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.codec.LineFrameDecoder;
import io.panamanetty.codec.StringDecoder;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A static file server speaking enough HTTP/1.1 for {@code curl} and browsers: GET and
 * HEAD, {@code Content-Length}, keep-alive, 404 for what is missing or outside the root.
 * Files leave with {@code sendfile(2)} (the bytes never enter Java), or with {@code --copy}
 * through pooled buffers, to compare the two.
 */
public final class ServeFile {
    static final String USAGE = """
            usage: serve-file --root DIR [--host HOST] [--port PORT] [--workers N] [--copy]
            Serves the files under DIR over HTTP/1.1 (GET and HEAD; keep-alive; 404 for
            anything missing or outside DIR, symbolic links included); stops on Ctrl-C or SIGTERM.
              --root     the directory to serve (required)
              --host     address to listen on (default 0.0.0.0)
              --port     port to listen on, 0 to 65535; 0 takes a free one (default 8080)
              --workers  worker threads, 1 to 1024 (default: one per processor)
              --copy     read files through buffers instead of sending them with sendfile(2)
              --help     this text
            """;
    /** The longest request line or header line accepted. */
    private static final int MAX_LINE = 8192;

    private ServeFile() {
    }

    /** Runs the server until interrupted. */
    public static void main(String[] args) throws InterruptedException {
        Path root;
        String host;
        int port;
        int workers;
        boolean copy;
        try {
            CommandLine options = CommandLine.parse(args, Set.of("--root", "--host", "--port", "--workers"),
                    Set.of("--help", "--copy"));
            if (options.has("--help")) {
                System.out.print(USAGE);
                return;
            }
            String rootOption = options.get("--root", null);
            if (rootOption == null) {
                throw new IllegalArgumentException("--root DIR is required: the directory to serve");
            }
            root = realDirectory(rootOption);
            host = options.get("--host", "0.0.0.0");
            port = options.getPort("--port", 8080, true);
            workers = options.getWorkers();
            copy = options.has("--copy");
        } catch (IllegalArgumentException e) {
            System.exit(CommandLine.usageError("serve-file", e, System.err));
            return;
        }
        EventLoopGroup acceptor = new EventLoopGroup(1, "Acceptor");
        EventLoopGroup worker = new EventLoopGroup(workers, "Worker");
        Channel server;
        try {
            server = new ServerBootstrap().group(acceptor, worker)
                    .childInitializer(ch -> ch.pipeline().addLast(
                            new LineFrameDecoder(MAX_LINE),
                            new StringDecoder(StandardCharsets.ISO_8859_1),
                            new FileRequestHandler(root, copy)))
                    .bind(host, port).sync().channel();
        } catch (RuntimeException e) {
            System.err.println("serve-file: " + e.getMessage());
            acceptor.shutdownGracefully(0, 2, TimeUnit.SECONDS);
            worker.shutdownGracefully(0, 2, TimeUnit.SECONDS);
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            acceptor.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            worker.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            System.out.println("serve-file: stopped");
        }, "serve-file-shutdown"));
        InetSocketAddress local = (InetSocketAddress) server.localAddress();
        System.out.println("serve-file: serving " + root + " on " + local.getAddress().getHostAddress() + ":"
                + local.getPort() + (copy ? " (copying through buffers)" : " (sendfile)") + " (Ctrl-C to stop)");
        server.closeFuture().sync();
    }

    /** {@code option} as the real path of a directory, or a one-line error saying what it is instead. */
    private static Path realDirectory(String option) {
        Path path = Path.of(option);
        if (!Files.exists(path)) {
            throw new IllegalArgumentException("--root " + option + ": no such directory");
        }
        if (!Files.isDirectory(path)) {
            throw new IllegalArgumentException("--root " + option + ": not a directory");
        }
        try {
            return path.toRealPath();
        } catch (IOException e) {
            throw new IllegalArgumentException("--root " + option + ": " + e.getMessage());
        }
    }
}
