package io.panamanetty.transport.epoll;

import io.panamanetty.bootstrap.Bootstrap;
import io.panamanetty.channel.DatagramChannel;
import io.panamanetty.channel.EventLoopGroup;

import java.lang.reflect.Method;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketAddress;

/**
 * Measures the heap bytes a UDP echo server's loop thread allocates per echoed datagram in
 * the steady state: one peer ping-pongs 32-byte datagrams, first to warm up (C2 compiles
 * {@code recvmmsg}/{@code sendmmsg}, whose errno capture costs 40 B a call before), then
 * counted with {@code getThreadAllocatedBytes} over rounds, the lowest reported. Run by {@link EpollDatagramAllocationTest}
 * in a JVM of its own, so that other tests' handlers do not change how C2 inlines the
 * pipeline (and so whether the packet objects reach the heap). Prints
 * {@code bytes-per-datagram N}.
 */
public final class DatagramAllocationProbe {
    private static final int WARM_UP = 100_000;
    private static final int MEASURED = 50_000;
    /**
     * Rounds measured at most, the lowest reported: on a loaded machine the C2 compilation that
     * removes the JDK's per-downcall allocations can land after the warm-up (a first round read
     * 19.5 B once), as in the TCP probe.
     */
    private static final int MAX_ROUNDS = 6;
    /** A round at or below this (the leak detector's sampling) ends the measurement. */
    private static final double GOOD_ENOUGH = 1.0;

    private DatagramAllocationProbe() {
    }

    /** Runs the measurement and prints the result. */
    public static void main(String[] args) throws Exception {
        // By reflection: the tests are compiled in the core module, which reads no management module.
        Object threads = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean")
                .invoke(null);
        Method allocated = Class.forName("com.sun.management.ThreadMXBean")
                .getMethod("getThreadAllocatedBytes", long.class);
        try (EventLoopGroup group = new EventLoopGroup(1, "udp-alloc");
             DatagramSocket peer = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
            DatagramChannel server = (DatagramChannel) new Bootstrap().group(group).channel(DatagramChannel.class)
                    .bind("127.0.0.1", 0).sync().channel();
            peer.setSoTimeout(30_000);
            SocketAddress to = server.localAddress();
            pingPong(peer, to, WARM_UP);
            long loopThread = threadId("udp-alloc-0");
            double lowest = Double.MAX_VALUE;
            for (int round = 0; round < MAX_ROUNDS && lowest > GOOD_ENOUGH; round++) {
                long before = (long) allocated.invoke(threads, loopThread);
                pingPong(peer, to, MEASURED);
                long after = (long) allocated.invoke(threads, loopThread);
                lowest = Math.min(lowest, (after - before) / (double) MEASURED);
            }
            System.out.printf("bytes-per-datagram %.2f%n", lowest);
            server.close().sync();
        }
    }

    private static void pingPong(DatagramSocket peer, SocketAddress to, int count) throws Exception {
        byte[] out = new byte[32];
        byte[] in = new byte[64];
        DatagramPacket request = new DatagramPacket(out, out.length, to);
        DatagramPacket reply = new DatagramPacket(in, in.length);
        for (int i = 0; i < count; i++) {
            peer.send(request);
            reply.setLength(in.length);
            peer.receive(reply);
        }
    }

    private static long threadId(String name) {
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().equals(name)) {
                return thread.threadId();
            }
        }
        throw new AssertionError("no thread " + name);
    }
}
