package io.panamanetty.examples;

import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelOption;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.channel.IoHandlerFactory;
import io.panamanetty.transport.epoll.EpollIoHandlerFactory;
import io.panamanetty.bootstrap.ServerBootstrap;

import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * TCP port forwarding, py-netty's proxy example grown up: every connection accepted
 * on the listening address is forwarded to one upstream host and port, both ways; either
 * side may be a Unix domain socket instead ({@link Endpoint}).
 * An "Acceptor" group of one thread accepts, a "Worker" group serves; each upstream
 * connection is made on the event loop of the client connection it serves
 * ({@link ClientSideHandler}), and {@link ForwardingHandler} moves the bytes with
 * backpressure, half-close and close passed through. With {@code --splice} the bytes
 * go socket to pipe to socket in the kernel ({@link io.panamanetty.transport.epoll.Splice}),
 * never through a Java buffer; backpressure and half-close work the same way.
 */
public final class Forwarder implements AutoCloseable {
    static final String USAGE = """
            usage: forward --to HOST:PORT|unix:PATH [--listen ADDRESS:PORT|unix:PATH] [--workers N]
                           [--splice] [--transport T]
            Forwards every connection accepted on --listen to --to, both ways, with
            backpressure (a slow side slows the other down) and half-close passed through.
            Either side may be TCP or a Unix domain socket: unix:PATH is a socket file
            (made by --listen, which removes it again on exit), unix:@NAME a Linux abstract
            name; e.g. --listen 127.0.0.1:2375 --to unix:/var/run/docker.sock.
              --listen     address and port to accept on, port 0 taking a free one, or
                           unix:PATH (default 0.0.0.0:8443)
              --to         upstream host (name or address) and port, 1 to 65535, or
                           unix:PATH (required)
              --workers    worker threads, 1 to 1024 (default: one per processor)
              --splice     zero copy in user space: each direction moves socket -> pipe ->
                           socket with Linux splice(2), never through a Java buffer (TCP and
                           Unix sockets, no TLS; at most one pipe, 64 KiB, in flight per direction)
              --transport  epoll (the default), io_uring (TCP only, no --splice), or auto:
                           io_uring where this kernel and process allow it, else epoll
              --help       this text
            """;

    private final EventLoopGroup acceptor;
    private final EventLoopGroup workers;
    private final Channel server;
    private final Endpoint upstream;

    private Forwarder(EventLoopGroup acceptor, EventLoopGroup workers, Channel server, Endpoint upstream) {
        this.acceptor = acceptor;
        this.workers = workers;
        this.server = server;
        this.upstream = upstream;
    }

    /**
     * Starts forwarding connections accepted on {@code listen} to {@code upstream}.
     *
     * @param workers the number of worker threads
     * @throws RuntimeException if the listening socket cannot be bound (the message says why)
     */
    static Forwarder start(HostPort listen, HostPort upstream, int workers) throws InterruptedException {
        return start(listen, upstream, workers, false);
    }

    /**
     * Starts forwarding connections accepted on {@code listen} to {@code upstream}.
     *
     * @param workers the number of worker threads
     * @param splice  true to move the bytes with {@code splice(2)} through a pipe per direction
     * @throws RuntimeException if the listening socket cannot be bound (the message says why)
     */
    static Forwarder start(HostPort listen, HostPort upstream, int workers, boolean splice)
            throws InterruptedException {
        return start(Endpoint.of(listen), Endpoint.of(upstream), workers, splice);
    }

    /**
     * Starts forwarding connections accepted on {@code listen} to {@code upstream}, each a TCP
     * address or a Unix domain socket.
     *
     * @param workers the number of worker threads
     * @param splice  true to move the bytes with {@code splice(2)} through a pipe per direction
     * @throws RuntimeException if the listening socket cannot be bound (the message says why)
     */
    static Forwarder start(Endpoint listen, Endpoint upstream, int workers, boolean splice)
            throws InterruptedException {
        return start(listen, upstream, workers, splice, new EpollIoHandlerFactory());
    }

    /** As {@link #start(Endpoint, Endpoint, int, boolean)}, on the loops {@code transport} makes. */
    static Forwarder start(Endpoint listen, Endpoint upstream, int workers, boolean splice, IoHandlerFactory transport)
            throws InterruptedException {
        EventLoopGroup acceptorGroup = new EventLoopGroup(1, "Acceptor", transport);
        EventLoopGroup workerGroup;
        try {
            workerGroup = new EventLoopGroup(workers, "Worker", transport);
        } catch (RuntimeException e) {
            acceptorGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS);
            throw e;
        }
        try {
            Channel server = new ServerBootstrap()
                    .group(acceptorGroup, workerGroup)
                    .childOption(ChannelOption.AUTO_READ, false)          // on once upstream is connected
                    .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                    .childHandler(() -> new ClientSideHandler(upstream, splice))
                    .bind(listen.bindAddress()).sync().channel();
            return new Forwarder(acceptorGroup, workerGroup, server, upstream);
        } catch (RuntimeException | InterruptedException e) {
            acceptorGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS);
            workerGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS);
            throw e;
        }
    }

    /** The TCP address the forwarder listens on (with the actual port if 0 was asked for). */
    InetSocketAddress localAddress() {
        return (InetSocketAddress) server.localAddress();
    }

    /** The listening channel. */
    Channel serverChannel() {
        return server;
    }

    /** Where connections go. */
    Endpoint upstream() {
        return upstream;
    }

    /** Stops listening, closes every forwarded connection and ends the threads. */
    @Override
    public void close() {
        server.close();
        acceptor.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Runs the forwarder until interrupted (Ctrl-C or SIGTERM). */
    public static void main(String[] args) throws InterruptedException {
        Endpoint listen;
        Endpoint upstream;
        int workers;
        boolean splice;
        IoHandlerFactory transport;
        try {
            CommandLine options = CommandLine.parse(args, Set.of("--listen", "--to", "--workers", "--transport"),
                    Set.of("--splice", "--help"));
            if (options.has("--help")) {
                System.out.print(USAGE);
                return;
            }
            splice = options.has("--splice");
            if (!options.has("--to")) {
                throw new IllegalArgumentException("--to HOST:PORT is required (or unix:PATH for a Unix socket)");
            }
            listen = Endpoint.parse("--listen", options.get("--listen", "0.0.0.0:8443"), true);
            upstream = Endpoint.parse("--to", options.get("--to", null), false);
            if (upstream.tcp() != null && upstream.tcp().port() == 0) {
                throw new IllegalArgumentException("--to needs a port of 1 to 65535");
            }
            workers = options.getWorkers();
            boolean unix = listen.tcp() == null || upstream.tcp() == null;
            if (splice && "io_uring".equals(options.get("--transport", "epoll"))) {
                throw new IllegalArgumentException("--splice is epoll's: leave it out with --transport io_uring");
            }
            transport = options.getTransport(unix || splice);
        } catch (IllegalArgumentException e) {
            System.exit(CommandLine.usageError("forward", e, System.err));
            return;
        }

        Forwarder forwarder;
        try {
            forwarder = start(listen, upstream, workers, splice, transport);
        } catch (RuntimeException e) {
            System.err.println("forward: " + e.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            forwarder.close();
            System.out.println("forward: stopped");
        }, "forward-shutdown"));
        System.out.println("forward: listening on " + Endpoint.describe(forwarder.serverChannel().localAddress())
                + ", forwarding to " + upstream + (splice ? " with splice" : "") + " (Ctrl-C to stop)");
        forwarder.serverChannel().closeFuture().sync();
    }
}
