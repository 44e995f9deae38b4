package io.panamanetty.benchmarks.alloc;

import java.net.InetSocketAddress;

import io.panamanetty.channel.Channel;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.channel.IoHandlerFactory;
import io.panamanetty.bootstrap.ServerBootstrap;
import io.panamanetty.transport.epoll.EpollIoHandlerFactory;
import io.panamanetty.transport.uring.IoUringIoHandlerFactory;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.util.Arrays;

/**
 * Measures the heap bytes the echo server's worker thread allocates per echoed message
 * in the steady state: warm up, then count the worker thread's allocated bytes
 * ({@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes}) over many
 * request/response round trips of one connection.
 * <pre>{@code
 * java -cp benchmarks.jar io.panamanetty.benchmarks.alloc.EchoAllocationProbe \
 *     [messages] [size] [warm-up messages] [composite|udp] [epoll|io_uring]
 * }</pre>
 * The words after the numbers may come in either order. The server's loops run on epoll
 * unless {@code io_uring} is named (TCP only: {@code udp} stays on epoll).
 * With {@code composite} the server echoes each read as a composite of two pooled buffers
 * ({@link CompositeEchoHandler}) instead of the buffer itself. With {@code udp} the server is
 * a UDP echo and the messages are datagrams ({@link DatagramEchoAllocation}): the figure is
 * the loop's bytes per echoed datagram.
 * With the default sampled leak detector, 1 buffer in 128 records its allocation stack,
 * which shows as a few bytes per message on average; run with
 * {@code -Dio.panamanetty.leakDetection=disabled} to see the echo path alone.
 */
public final class EchoAllocationProbe {
    private EchoAllocationProbe() {
    }

    /** Prints the bytes allocated per message by the worker thread. */
    public static void main(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int size = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        int warmUp = args.length > 2 ? Integer.parseInt(args[2]) : Math.max(20_000, messages / 2);
        boolean composite = false;
        boolean udp = false;
        boolean uring = false;
        for (int i = 3; i < args.length; i++) {
            switch (args[i]) {
                case "composite" -> composite = true;
                case "udp" -> udp = true;
                case "io_uring" -> uring = true;
                case "epoll" -> uring = false;
                default -> {
                    System.err.println("unknown word " + args[i] + " (expected: composite, udp, epoll or io_uring)");
                    System.exit(2);
                }
            }
        }
        if (udp && (composite || uring)) {
            System.err.println("udp takes neither composite nor io_uring (datagrams are epoll's)");
            System.exit(2);
        }
        if (udp) {
            System.out.printf("%d-byte datagrams: %.2f bytes allocated per message by the loop%n",
                    size, DatagramEchoAllocation.bytesPerDatagram(messages, size, warmUp));
            return;
        }
        IoHandlerFactory transport = uring ? new IoUringIoHandlerFactory() : new EpollIoHandlerFactory();
        System.out.printf("%d-byte messages%s on %s: %.2f bytes allocated per message by the worker%n",
                size, composite ? " as composites" : "", transport,
                bytesPerMessage(messages, size, warmUp, composite, transport));
    }

    /**
     * Runs the measurement and returns heap bytes allocated per echoed message.
     *
     * @param messages how many messages to measure
     * @param size     bytes per message
     * @param warmUp   how many messages to echo first (JIT, caches), unmeasured
     */
    public static double bytesPerMessage(int messages, int size, int warmUp) throws Exception {
        return bytesPerMessage(messages, size, warmUp, false, new EpollIoHandlerFactory());
    }

    /**
     * Like {@link #bytesPerMessage(int, int, int)}, with the server's loops on
     * {@code transport}; with {@code composite}, the server echoes through
     * {@link CompositeEchoHandler}.
     */
    public static double bytesPerMessage(int messages, int size, int warmUp, boolean composite,
                                         IoHandlerFactory transport) throws Exception {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (EventLoopGroup boss = new EventLoopGroup(1, "probe-boss", transport);
             EventLoopGroup worker = new EventLoopGroup(1, "probe-worker", transport)) {
            ServerBootstrap bootstrap = new ServerBootstrap().group(boss, worker);
            if (composite) {
                CompositeEchoHandler handler = new CompositeEchoHandler();
                bootstrap.childHandler(() -> handler);
            }
            Channel server = bootstrap.bind("127.0.0.1", 0).sync().channel();
            try (Socket socket = new Socket("127.0.0.1", ((InetSocketAddress) server.localAddress()).getPort())) {
                socket.setTcpNoDelay(true);
                socket.setSoTimeout(30_000);
                OutputStream out = socket.getOutputStream();
                InputStream in = socket.getInputStream();
                byte[] message = new byte[size];
                Arrays.fill(message, (byte) 'x');
                pingPong(out, in, message, warmUp);
                long workerId = threadId(threads, "probe-worker-0");
                double steady = steadyState(messages, () -> {
                    long before = threads.getThreadAllocatedBytes(workerId);
                    pingPong(out, in, message, messages);
                    return threads.getThreadAllocatedBytes(workerId) - before;
                });
                server.close().sync();
                return steady;
            }
        }
    }

    /** Measures one round: the bytes the measured thread allocated while it ran. */
    interface Round {
        long allocatedBytes() throws Exception;
    }

    /** Rounds measured at the most before the lowest is taken as the steady state. */
    static final int MAX_ROUNDS = 6;

    /**
     * Bytes per message of the steady state: rounds of {@code messages} are measured until one
     * comes out below one byte per message, at most {@value #MAX_ROUNDS}, and the lowest is
     * returned. The warm-up alone does not always get the JIT there: on a loaded machine the
     * compilation that removes the JDK's own per-call allocations (the errno capture of a
     * downcall) can land rounds later, and one round then reads tens of bytes per message
     * that the next one no longer shows. A real per-message allocation shows in every round.
     */
    static double steadyState(int messages, Round round) throws Exception {
        double lowest = Double.MAX_VALUE;
        for (int i = 0; i < MAX_ROUNDS && lowest >= 1; i++) {
            double perMessage = (double) round.allocatedBytes() / messages;
            System.out.printf("round %d: %.2f bytes per message%n", i + 1, perMessage);
            lowest = Math.min(lowest, perMessage);
        }
        return lowest;
    }

    private static void pingPong(OutputStream out, InputStream in, byte[] message, int count) throws Exception {
        byte[] reply = new byte[message.length];
        for (int i = 0; i < count; i++) {
            out.write(message);
            int filled = 0;
            while (filled < reply.length) {
                int n = in.read(reply, filled, reply.length - filled);
                if (n < 0) {
                    throw new IllegalStateException("server closed the connection");
                }
                filled += n;
            }
        }
    }

    private static long threadId(java.lang.management.ThreadMXBean threads, String name) {
        for (var info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().equals(name)) {
                return info.getThreadId();
            }
        }
        throw new IllegalStateException("no thread named " + name);
    }
}
