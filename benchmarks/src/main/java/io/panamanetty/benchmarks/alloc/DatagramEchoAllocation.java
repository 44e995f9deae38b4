package io.panamanetty.benchmarks.alloc;

import io.panamanetty.bootstrap.Bootstrap;
import io.panamanetty.channel.DatagramChannel;
import io.panamanetty.channel.EventLoopGroup;

import java.lang.management.ManagementFactory;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;

/**
 * The UDP side of {@link EchoAllocationProbe}: heap bytes a datagram echo server's loop thread
 * allocates per echoed datagram in the steady state. A JDK {@link DatagramSocket} ping-pongs
 * datagrams of one size with the server (the stock echo: each received packet turned around
 * and written back); after the warm-up, the loop thread's allocated bytes are counted over
 * the measured round trips. Received packets are recycled by the loop, buffers pooled and the
 * peer's address cached, so the path allocates no object of its own, scalar-replaced or not;
 * C2's escape analysis is needed only for the JDK's errno capture of each downcall (a 40 B
 * segment per system call without it, {@code -XX:-DoEscapeAnalysis}).
 */
final class DatagramEchoAllocation {
    private static final String LOOP = "probe-udp";

    private DatagramEchoAllocation() {
    }

    /** Heap bytes the loop allocated per echoed datagram of {@code size} bytes, over {@code datagrams}. */
    static double bytesPerDatagram(int datagrams, int size, int warmUp) throws Exception {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (EventLoopGroup group = new EventLoopGroup(1, LOOP);
             DatagramSocket peer = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            DatagramChannel server = (DatagramChannel) new Bootstrap().group(group).channel(DatagramChannel.class)
                    .bind("127.0.0.1", 0).sync().channel();
            try {
                peer.setSoTimeout(30_000);
                SocketAddress to = server.localAddress();
                pingPong(peer, to, size, warmUp);
                long loopThread = threadId(threads, LOOP + "-0");
                return EchoAllocationProbe.steadyState(datagrams, () -> {
                    long before = threads.getThreadAllocatedBytes(loopThread);
                    pingPong(peer, to, size, datagrams);
                    return threads.getThreadAllocatedBytes(loopThread) - before;
                });
            } finally {
                server.close().sync();
            }
        }
    }

    private static void pingPong(DatagramSocket peer, SocketAddress to, int size, int count) throws Exception {
        byte[] out = new byte[size];
        byte[] in = new byte[size + 1];
        DatagramPacket request = new DatagramPacket(out, out.length, to);
        DatagramPacket reply = new DatagramPacket(in, in.length);
        for (int i = 0; i < count; i++) {
            out[i % size] = (byte) i;
            peer.send(request);
            reply.setLength(in.length);
            try {
                peer.receive(reply);
            } catch (SocketTimeoutException e) {
                throw new IllegalStateException("no echo of datagram " + i + " within 30 s", e);
            }
            if (reply.getLength() != size || in[i % size] != (byte) i) {
                throw new IllegalStateException("datagram " + i + " came back changed (" + reply.getLength() + " B)");
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
