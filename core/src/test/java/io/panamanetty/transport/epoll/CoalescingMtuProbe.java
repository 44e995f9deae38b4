package io.panamanetty.transport.epoll;

import io.panamanetty.bootstrap.Bootstrap;
import io.panamanetty.buffer.BufferAllocator;
import io.panamanetty.channel.ChannelFuture;
import io.panamanetty.channel.DatagramChannel;
import io.panamanetty.channel.DatagramPacket;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.testsuite.DatagramScenario;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Run by {@link EpollDatagramCoalescingMtuTest} in a network namespace whose loopback has an
 * MTU of 1,500: bursts of 20 equal datagrams of 1,400 bytes (coalesced: a segment fits the
 * MTU), of 3,000 bytes (a segment does not: the kernel refuses the run (EMSGSIZE on 6.18, EINVAL on older kernels), the
 * datagrams go one by one, fragmented), of 3,000 again and of 1,400 again. Prints a line per
 * burst with the messages and calls it took and whether every datagram arrived whole and in order.
 */
public final class CoalescingMtuProbe {
    private CoalescingMtuProbe() {
    }

    /** Sends the four bursts. */
    public static void main(String[] args) throws Exception {
        try (EventLoopGroup group = new EventLoopGroup(1, "udp-mtu");
             java.net.DatagramSocket receiver = new java.net.DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
            receiver.setReceiveBufferSize(4 << 20);
            receiver.setSoTimeout(30_000);
            EpollDatagramChannel sender = (EpollDatagramChannel) new Bootstrap().group(group)
                    .channel(DatagramChannel.class).handler(DatagramScenario.Recorder::new)
                    .bind("127.0.0.1", 0).sync().channel();
            int[] sizes = {1_400, 3_000, 3_000, 1_400};
            for (int burst = 0; burst < sizes.length; burst++) {
                List<byte[]> sent = new ArrayList<>();
                List<Object> writes = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    byte[] bytes = new byte[sizes[burst]];
                    Arrays.fill(bytes, (byte) (burst * 20 + i));
                    bytes[0] = (byte) i;
                    sent.add(bytes);
                    writes.add(new DatagramPacket(BufferAllocator.defaultAllocator().copyOf(bytes),
                            (InetSocketAddress) receiver.getLocalSocketAddress()));
                }
                long[] before = counters(sender);
                CompletableFuture<List<ChannelFuture>> written = new CompletableFuture<>();
                sender.eventLoop().execute(() -> {
                    List<ChannelFuture> futures = new ArrayList<>();
                    writes.forEach(w -> futures.add(sender.write(w)));
                    sender.flush();
                    written.complete(futures);
                });
                boolean promises = true;
                for (ChannelFuture future : written.get(30, TimeUnit.SECONDS)) {
                    promises &= future.await(30, TimeUnit.SECONDS) && future.isSuccess();
                }
                boolean whole = true;
                byte[] room = new byte[65_536];
                for (byte[] expected : sent) {
                    java.net.DatagramPacket datagram = new java.net.DatagramPacket(room, room.length);
                    receiver.receive(datagram);
                    whole &= Arrays.equals(expected, Arrays.copyOf(datagram.getData(), datagram.getLength()));
                }
                long[] after = counters(sender);
                System.out.println("burst " + burst + " of " + sizes[burst] + " B: messages=" + (after[0] - before[0])
                        + " calls=" + (after[1] - before[1]) + " promises=" + promises + " whole=" + whole);
            }
            sender.close().sync();
        }
    }

    /** The messages sent and the {@code sendmmsg} calls made (a refused one too), read on the loop. */
    private static long[] counters(EpollDatagramChannel channel) throws Exception {
        CompletableFuture<long[]> count = new CompletableFuture<>();
        channel.eventLoop().execute(() -> count.complete(new long[] {channel.messagesSent, channel.sendCalls}));
        return count.get(30, TimeUnit.SECONDS);
    }
}
