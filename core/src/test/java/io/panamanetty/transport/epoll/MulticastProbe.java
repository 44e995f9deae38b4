package io.panamanetty.transport.epoll;

import io.panamanetty.bootstrap.Bootstrap;
import io.panamanetty.buffer.BufferAllocator;
import io.panamanetty.channel.DatagramChannel;
import io.panamanetty.channel.DatagramChannelOption;
import io.panamanetty.channel.DatagramPacket;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.testsuite.DatagramScenario;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.nio.charset.StandardCharsets;

/**
 * The multicast checks of {@link EpollMulticastTest}, run in a child JVM inside a network
 * namespace of its own (lo with the MULTICAST flag, a veth pair {@code v0}/{@code v1} with
 * {@code fd00::1} and {@code fd00::2}): IPv4 join and leave on lo, a source-specific join,
 * IPv6 across the veth pair, and IPv4 groups on dual-stack sockets bound to {@code ::} (a
 * join, a source-specific join that lets only its source through, and a dual-stack sender whose
 * IPv4-level {@code IP_MULTICAST_IF} must hold, address and all: given lo's index alone, such a
 * socket sends from 0.0.0.0 and nothing arrives). Prints {@code multicast ok} and exits 0, or throws.
 */
public final class MulticastProbe {
    private MulticastProbe() {
    }

    /** Runs the three checks. */
    public static void main(String[] args) throws Exception {
        try (EventLoopGroup group = new EventLoopGroup(1, "multicast")) {
            ipv4JoinAndLeave(group);
            sourceSpecificJoin(group);
            ipv6AcrossVeth(group);
            ipv4OnDualStackSockets(group);
        }
        System.out.println("multicast ok");
    }

    private static void ipv4JoinAndLeave(EventLoopGroup group) throws Exception {
        NetworkInterface lo = NetworkInterface.getByName("lo");
        InetAddress groupAddress = InetAddress.getByName("239.255.0.1");
        DatagramScenario.Recorder recorder = new DatagramScenario.Recorder();
        DatagramChannel receiver = bind(group, "0.0.0.0", recorder);
        receiver.joinGroup(groupAddress, lo).sync();
        DatagramChannel sender = (DatagramChannel) new Bootstrap().group(group).channel(DatagramChannel.class)
                .option(DatagramChannelOption.IP_MULTICAST_IF, lo).option(DatagramChannelOption.IP_MULTICAST_LOOP, true)
                .option(DatagramChannelOption.IP_MULTICAST_TTL, 1).handler(DatagramScenario.Recorder::new)
                .bind("127.0.0.1", 0).sync().channel();
        InetSocketAddress to = new InetSocketAddress(groupAddress, receiver.localAddress().getPort());
        send(sender, "to the group", to);
        expect(recorder, "to the group");
        receiver.leaveGroup(groupAddress, lo).sync();
        send(sender, "after leaving", to);
        send(sender, "unicast marker", new InetSocketAddress("127.0.0.1", to.getPort()));
        expect(recorder, "unicast marker");   // the group's datagram, sent first, did not come
        sender.close().sync();
        receiver.close().sync();
    }

    private static void sourceSpecificJoin(EventLoopGroup group) throws Exception {
        NetworkInterface lo = NetworkInterface.getByName("lo");
        InetAddress groupAddress = InetAddress.getByName("232.1.1.1");
        DatagramScenario.Recorder recorder = new DatagramScenario.Recorder();
        DatagramChannel receiver = bind(group, "0.0.0.0", recorder);
        receiver.joinGroup(groupAddress, lo, InetAddress.getByName("127.0.0.1")).sync();
        DatagramChannel chosen = multicastSender(group, "127.0.0.1", lo);
        DatagramChannel other = multicastSender(group, "127.0.0.2", lo);
        InetSocketAddress to = new InetSocketAddress(groupAddress, receiver.localAddress().getPort());
        send(chosen, "from the source", to);
        expect(recorder, "from the source");
        send(other, "from another source", to);
        send(chosen, "from the source again", to);
        expect(recorder, "from the source again");
        receiver.leaveGroup(groupAddress, lo, InetAddress.getByName("127.0.0.1")).sync();
        chosen.close().sync();
        other.close().sync();
        receiver.close().sync();
    }

    private static void ipv6AcrossVeth(EventLoopGroup group) throws Exception {
        NetworkInterface v0 = NetworkInterface.getByName("v0");
        NetworkInterface v1 = NetworkInterface.getByName("v1");
        InetAddress groupAddress = InetAddress.getByName("ff12::4242");
        DatagramScenario.Recorder recorder = new DatagramScenario.Recorder();
        DatagramChannel receiver = bind(group, "::", recorder);
        receiver.joinGroup(groupAddress, v1).sync();
        DatagramChannel sender = (DatagramChannel) new Bootstrap().group(group).channel(DatagramChannel.class)
                .option(DatagramChannelOption.IP_MULTICAST_IF, v0).option(DatagramChannelOption.IP_MULTICAST_LOOP, false)
                .option(DatagramChannelOption.IPV6_MULTICAST_HOPS, 1).handler(DatagramScenario.Recorder::new)
                .bind("fd00::1", 0).sync().channel();
        if (!Boolean.FALSE.equals(sender.config().getOption(DatagramChannelOption.IP_MULTICAST_LOOP))
                || sender.config().getOption(DatagramChannelOption.IPV6_MULTICAST_HOPS) != 1
                || !v0.equals(sender.config().getOption(DatagramChannelOption.IP_MULTICAST_IF))) {
            throw new AssertionError("the IPv6 multicast options did not stick");
        }
        InetSocketAddress to = new InetSocketAddress(groupAddress, receiver.localAddress().getPort());
        send(sender, "across the veth pair", to);
        DatagramScenario.Received received = expect(recorder, "across the veth pair");
        if (!received.sender().getAddress().equals(InetAddress.getByName("fd00::1"))) {
            throw new AssertionError("sent from fd00::1, but the sender is " + received.sender());
        }
        receiver.leaveGroup(groupAddress, v1).sync();
        sender.close().sync();
        receiver.close().sync();
    }

    private static void ipv4OnDualStackSockets(EventLoopGroup group) throws Exception {
        NetworkInterface lo = NetworkInterface.getByName("lo");
        InetAddress groupAddress = InetAddress.getByName("239.255.0.3");
        InetAddress sourceGroup = InetAddress.getByName("232.1.1.3");
        DatagramScenario.Recorder recorder = new DatagramScenario.Recorder();
        DatagramChannel receiver = bind(group, "::", recorder);
        receiver.joinGroup(groupAddress, lo).sync();
        receiver.joinGroup(sourceGroup, lo, InetAddress.getByName("127.0.0.1")).sync();
        DatagramChannel sender = (DatagramChannel) new Bootstrap().group(group).channel(DatagramChannel.class)
                .option(DatagramChannelOption.IP_MULTICAST_IF, lo).option(DatagramChannelOption.IP_MULTICAST_LOOP, true)
                .option(DatagramChannelOption.IP_MULTICAST_TTL, 1).handler(DatagramScenario.Recorder::new)
                .bind("::", 0).sync().channel();
        int port = receiver.localAddress().getPort();
        send(sender, "to the group from ::", new InetSocketAddress(groupAddress, port));
        DatagramScenario.Received received = expect(recorder, "to the group from ::");
        if (!received.sender().getAddress().equals(InetAddress.getByName("127.0.0.1"))) {
            throw new AssertionError("IP_MULTICAST_IF lo: sent from 127.0.0.1, but the sender is " + received.sender());
        }
        send(sender, "to the source group from ::", new InetSocketAddress(sourceGroup, port));
        expect(recorder, "to the source group from ::");   // the source filter let 127.0.0.1 through
        DatagramChannel other = multicastSender(group, "127.0.0.2", lo);
        send(other, "from another source", new InetSocketAddress(sourceGroup, port));
        send(sender, "unicast marker", new InetSocketAddress("127.0.0.1", port));
        expect(recorder, "unicast marker");   // the other source's datagram, sent first, did not come
        receiver.leaveGroup(sourceGroup, lo, InetAddress.getByName("127.0.0.1")).sync();
        receiver.leaveGroup(groupAddress, lo).sync();
        other.close().sync();
        sender.close().sync();
        receiver.close().sync();
    }

    private static DatagramChannel bind(EventLoopGroup group, String host, DatagramScenario.Recorder recorder)
            throws InterruptedException {
        return (DatagramChannel) new Bootstrap().group(group).channel(DatagramChannel.class).handler(() -> recorder)
                .bind(host, 0).sync().channel();
    }

    private static DatagramChannel multicastSender(EventLoopGroup group, String host, NetworkInterface out)
            throws InterruptedException {
        return (DatagramChannel) new Bootstrap().group(group).channel(DatagramChannel.class)
                .option(DatagramChannelOption.IP_MULTICAST_IF, out).handler(DatagramScenario.Recorder::new)
                .bind(host, 0).sync().channel();
    }

    private static void send(DatagramChannel sender, String text, InetSocketAddress to) throws InterruptedException {
        sender.writeAndFlush(new DatagramPacket(BufferAllocator.defaultAllocator()
                .copyOf(text.getBytes(StandardCharsets.UTF_8)), to)).sync();
    }

    private static DatagramScenario.Received expect(DatagramScenario.Recorder recorder, String text)
            throws InterruptedException {
        DatagramScenario.Received received = recorder.next();
        String got = new String(received.bytes(), StandardCharsets.UTF_8);
        if (!got.equals(text)) {
            throw new AssertionError("expected '" + text + "', received '" + got + "' from " + received.sender());
        }
        return received;
    }
}
