package io.panamanetty.bootstrap;

import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelFuture;
import io.panamanetty.channel.ChannelOption;
import io.panamanetty.channel.ChannelPromise;
import io.panamanetty.channel.EventLoop;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.channel.IoHandlerFactory;
import io.panamanetty.channel.internal.AbstractChannel;
import io.panamanetty.channel.internal.ChannelSetup;
import io.panamanetty.channel.internal.DatagramTransport;
import io.panamanetty.channel.internal.DefaultChannelPromise;
import io.panamanetty.channel.internal.Transports;
import io.panamanetty.tls.TlsContext;

import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.function.Consumer;

/**
 * How a {@link Bootstrap} opens a UDP {@link io.panamanetty.channel.DatagramChannel}: on a
 * loop of the group (or of a group of its own, shut down with the channel), its options and
 * initializer applied, then a bind or connect through the pipeline once the addresses are
 * resolved (off the loop). {@link DomainDatagrams} is its Unix-socket twin.
 */
final class UdpDatagrams {
    private UdpDatagrams() {
    }

    /** Makes a datagram channel, bound to {@code local} and/or connected to {@code remote} once resolved. */
    static ChannelFuture open(EventLoopGroup group, EventLoop loop, IoHandlerFactory transport,
                              Map<ChannelOption<?>, Object> options, Consumer<Channel> initializer, TlsContext tls,
                              InetSocketAddress local, InetSocketAddress remote) {
        if (tls != null) {
            throw new IllegalStateException("TLS is for stream channels; a datagram channel would need DTLS");
        }
        DatagramChannelStart<DatagramTransport> start = DatagramChannelStart.begin(group, loop, transport, options,
                initializer, "panama-udp", Transports::datagram, DatagramTransport::newDatagramChannel);
        AbstractChannel channel = start.channel();
        EventLoop target = start.loop();
        DefaultChannelPromise promise = start.promise();
        if (start.failed()) {
            return promise;
        }
        ChannelSetup setup = start.setup();
        channel.setup(setup);
        promise.addListener(f -> {   // refused by a handler, or by the kernel: the channel (and own group) go
            if (!f.isSuccess() && channel.isOpen()) {
                channel.close();
            }
        });
        boolean resolved = (local == null || !local.isUnresolved()) && (remote == null || !remote.isUnresolved());
        if (resolved) {
            Bootstrap.executeOrFail(target, () -> openThroughPipeline(channel, local, remote, promise), promise);
            return promise;
        }
        Thread.ofVirtual().name("panama-resolver").start(() -> {
            InetSocketAddress bindTo = local == null ? null : resolve(local);
            InetSocketAddress connectTo = remote == null ? null : resolve(remote);
            InetSocketAddress failed = bindTo != null && bindTo.isUnresolved() ? bindTo
                    : connectTo != null && connectTo.isUnresolved() ? connectTo : null;
            if (failed != null) {
                Bootstrap.executeOrFail(target, () -> {
                    promise.tryFailure(new UnknownHostException("cannot resolve host '" + failed.getHostString() + "'"));
                    channel.closeNow(null);
                }, promise);
                return;
            }
            Bootstrap.executeOrFail(target, () -> openThroughPipeline(channel, bindTo, connectTo, promise), promise);
        });
        return promise;
    }

    /**
     * Opens a datagram channel as TCP's channels are: through its handlers, a bind (to
     * {@code local}) or, with a {@code remote}, a connect (bound to {@code local} first when
     * set), which a handler may see, change or refuse; at the head the transport opens the socket.
     */
    private static void openThroughPipeline(AbstractChannel channel, InetSocketAddress local, InetSocketAddress remote,
                                            ChannelPromise promise) {
        if (remote == null) {
            channel.pipeline().bind(local, promise);
        } else {
            channel.pipeline().connect(remote, local, promise);
        }
    }

    /** {@code address} resolved (blocking: off the loop), or still unresolved if the name is unknown. */
    private static InetSocketAddress resolve(InetSocketAddress address) {
        return address.isUnresolved() ? new InetSocketAddress(address.getHostString(), address.getPort()) : address;
    }

}
