package io.panamanetty.examples;

import io.panamanetty.bootstrap.Bootstrap;
import io.panamanetty.channel.ChannelOption;
import io.panamanetty.channel.DatagramChannel;
import io.panamanetty.channel.DatagramChannelConfig;
import io.panamanetty.channel.DatagramChannelOption;
import io.panamanetty.channel.EventLoop;
import io.panamanetty.channel.EventLoopGroup;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A UDP echo server: every datagram goes back whole to its sender. With {@code --workers N}
 * above 1, each of the N loops has a socket of its own bound to the same port with
 * {@code SO_REUSEPORT}, and the kernel spreads the senders over them. Stops cleanly on
 * Ctrl-C or SIGTERM.
 */
public final class UdpEchoServer {
    static final String USAGE = """
            usage: udp-echo-server [--host HOST] [--port PORT] [--workers N] [--batch N]
                                   [--no-coalescing]
            Sends every UDP datagram it receives back, whole, to its sender; stops on Ctrl-C or
            SIGTERM.
              --host           address to bind (default 0.0.0.0; :: for IPv6 and IPv4 together)
              --port           port to bind, 0 to 65535; 0 takes a free one (default 8080)
              --workers        event loops, 1 to 1024, each with its own SO_REUSEPORT socket on
                               the port (default: one per processor)
              --batch          datagrams taken per recvmmsg, 1 to 1024 (default 16)
              --no-coalescing  send each echoed datagram as a message of its own (default: a
                               run of equal ones to one peer goes as one UDP_SEGMENT message)
              --help           this text
            """;

    private UdpEchoServer() {
    }

    /** Runs the server until interrupted; exits 2 for bad usage, 1 if it cannot bind. */
    public static void main(String[] args) throws InterruptedException {
        String host;
        int port;
        int workers;
        int batch;
        boolean coalescing;
        try {
            CommandLine options = CommandLine.parse(args, Set.of("--host", "--port", "--workers", "--batch"),
                    Set.of("--help", "--no-coalescing"));
            if (options.has("--help")) {
                System.out.print(USAGE);
                return;
            }
            host = options.get("--host", "0.0.0.0");
            port = options.getPort("--port", 8080, true);
            workers = options.getWorkers();
            batch = options.getInt("--batch", DatagramChannelConfig.DEFAULT_DATAGRAMS_PER_RECEIVE, 1,
                    DatagramChannelConfig.MAX_DATAGRAMS_PER_RECEIVE);
            coalescing = !options.has("--no-coalescing");
        } catch (IllegalArgumentException e) {
            System.exit(CommandLine.usageError("udp-echo-server", e, System.err));
            return;
        }
        EventLoopGroup group = new EventLoopGroup(workers, "udp-worker");
        List<DatagramChannel> sockets = new ArrayList<>();
        try {
            for (EventLoop loop : group.loops()) {
                Bootstrap bootstrap = new Bootstrap().group(loop).channel(DatagramChannel.class)
                        .option(ChannelOption.SO_RCVBUF, 4 << 20).option(ChannelOption.SO_SNDBUF, 4 << 20)
                        .option(DatagramChannelOption.DATAGRAMS_PER_RECEIVE, batch)
                        .option(DatagramChannelOption.UDP_SEGMENT_COALESCING, coalescing);
                if (workers > 1) {
                    bootstrap.option(ChannelOption.SO_REUSEPORT, true);
                }
                DatagramChannel socket = (DatagramChannel) bootstrap.bind(host, port).sync().channel();
                port = socket.localAddress().getPort();   // port 0: the others join the one the first got
                sockets.add(socket);
            }
        } catch (RuntimeException e) {
            System.err.println("udp-echo-server: " + e.getMessage());
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
            System.exit(1);
            return;
        }
        Thread shutdown = new Thread(() -> {
            sockets.forEach(DatagramChannel::close);
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            System.out.println("udp-echo-server: stopped");
        }, "udp-echo-server-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdown);
        DatagramChannel first = sockets.getFirst();
        System.out.println("udp-echo-server: listening on " + new HostPort(first.localAddress().getAddress().getHostAddress(), first.localAddress().getPort())
                + (workers > 1 ? " with " + workers + " SO_REUSEPORT sockets" : "") + " (Ctrl-C to stop)");
        for (DatagramChannel socket : sockets) {
            socket.closeFuture().sync();
        }
    }
}
