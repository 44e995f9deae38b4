package io.panamanetty.bootstrap;

import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelFuture;
import io.panamanetty.channel.ChannelOption;
import io.panamanetty.channel.DomainSocketAddress;
import io.panamanetty.channel.EventLoop;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.channel.IoHandlerFactory;
import io.panamanetty.channel.internal.AbstractChannel;
import io.panamanetty.channel.internal.ChannelSetup;
import io.panamanetty.channel.internal.DefaultChannelPromise;
import io.panamanetty.channel.internal.DomainDatagramTransport;
import io.panamanetty.channel.internal.Transports;

import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.Map;
import java.util.function.Consumer;

/**
 * How a {@link Bootstrap} of datagram channels makes a Unix domain one
 * ({@link io.panamanetty.channel.DomainDatagramChannel}) when the address it binds or
 * connects to is a Unix domain socket's: the same loops, options and handlers as UDP, the
 * socket of the transport's Unix datagram channels.
 */
final class DomainDatagrams {
    private DomainDatagrams() {
    }

    /** The Unix domain socket address {@code address} stands for (ours or the JDK's), or null. */
    static DomainSocketAddress domainOf(SocketAddress address) {
        if (address instanceof DomainSocketAddress domain) {
            return domain;
        }
        return address instanceof UnixDomainSocketAddress jdk ? DomainSocketAddress.of(jdk) : null;
    }

    /** Makes a Unix domain datagram channel, bound to {@code local} (null: autobound) and/or connected to {@code remote}. */
    static ChannelFuture open(EventLoopGroup group, EventLoop loop, IoHandlerFactory transport,
                              Map<ChannelOption<?>, Object> options, Consumer<Channel> initializer,
                              DomainSocketAddress local, DomainSocketAddress remote) {
        DatagramChannelStart<DomainDatagramTransport> start = DatagramChannelStart.begin(group, loop, transport,
                options, initializer, "panama-unix-dgram", Transports::domainDatagram,
                DomainDatagramTransport::newDomainDatagramChannel);
        if (start.failed()) {
            return start.promise();
        }
        DomainDatagramTransport unix = start.transportSide();
        AbstractChannel channel = start.channel();
        ChannelSetup setup = start.setup();
        DefaultChannelPromise promise = start.promise();
        EventLoop target = start.loop();
        Bootstrap.executeOrFail(target, () -> unix.open(channel, setup, local, remote, promise), promise);
        return promise;
    }
}
