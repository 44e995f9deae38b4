package io.panamanetty.examples;

import io.panamanetty.channel.Channel;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.channel.ServerBootstrap;

import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The echo server of py-netty's README:
 * {@code ServerBootstrap().bind(address='0.0.0.0', port=8080).close_future().sync()}.
 * Stops cleanly on Ctrl-C or SIGTERM.
 */
public final class EchoServer {
    static final String USAGE = """
            usage: echo-server [--host HOST] [--port PORT] [--workers N]
              --host     address to listen on (default 0.0.0.0)
              --port     port to listen on (default 8080)
              --workers  worker threads (default: one per processor)
            """;

    private EchoServer() {
    }

    /** Runs the server until interrupted. */
    public static void main(String[] args) throws InterruptedException {
        String host;
        int port;
        int workers;
        try {
            CommandLine options = CommandLine.parse(args, Set.of("--host", "--port", "--workers"), Set.of("--help"));
            if (options.has("--help")) {
                System.out.print(USAGE);
                return;
            }
            host = options.get("--host", "0.0.0.0");
            port = options.getInt("--port", 8080);
            workers = options.getInt("--workers", Runtime.getRuntime().availableProcessors());
        } catch (IllegalArgumentException e) {
            System.err.println("echo-server: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }

        EventLoopGroup acceptor = new EventLoopGroup(1, "Acceptor");
        EventLoopGroup worker = new EventLoopGroup(workers, "Worker");
        Channel server;
        try {
            server = new ServerBootstrap().group(acceptor, worker).bind(host, port).sync().channel();
        } catch (RuntimeException e) {
            System.err.println("echo-server: " + e.getMessage());
            acceptor.shutdownGracefully();
            worker.shutdownGracefully();
            System.exit(1);
            return;
        }
        Thread shutdown = new Thread(() -> {
            server.close();
            acceptor.shutdownGracefully(0, 2, TimeUnit.SECONDS).join();
            worker.shutdownGracefully(0, 2, TimeUnit.SECONDS).join();
            System.out.println("echo-server: stopped");
        }, "echo-server-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdown);
        System.out.println("echo-server: listening on " + server.localAddress().getAddress().getHostAddress()
                + ":" + server.localAddress().getPort() + " (Ctrl-C to stop)");
        server.closeFuture().sync();
    }
}
