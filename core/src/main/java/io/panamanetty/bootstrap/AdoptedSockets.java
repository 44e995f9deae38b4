package io.panamanetty.bootstrap;

import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelFuture;
import io.panamanetty.channel.ChannelOption;
import io.panamanetty.channel.EventLoop;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.channel.IoHandlerFactory;
import io.panamanetty.channel.PassableDescriptor;
import io.panamanetty.channel.internal.AbstractChannel;
import io.panamanetty.channel.internal.ChannelSetup;
import io.panamanetty.channel.internal.DefaultChannelPromise;
import io.panamanetty.channel.internal.TcpTransport;
import io.panamanetty.file.FileDescriptorHandle;

import java.io.IOException;
import java.util.Map;
import java.util.function.Consumer;

/**
 * How a {@link Bootstrap} makes a stream channel on a connected socket it is given
 * ({@link Bootstrap#adopt}): a channel of the loops' transport, with the bootstrap's options
 * and handlers, taking the socket over as a listener takes over an accepted one.
 */
final class AdoptedSockets {
    private AdoptedSockets() {
    }

    static ChannelFuture adopt(EventLoopGroup group, EventLoop loop, IoHandlerFactory transport,
                               Map<ChannelOption<?>, Object> options, Consumer<Channel> initializer,
                               boolean tlsOrDatagrams, PassableDescriptor socket) {
        if (tlsOrDatagrams) {
            socket.release();
            throw new IllegalStateException("adopt makes stream channels, without the bootstrap's TLS");
        }
        EventLoopGroup ownGroup = group == null && loop == null ? Bootstrap.ownGroup(transport, 1, "panama-adopted")
                : null;
        EventLoop target = loop != null ? loop : (ownGroup != null ? ownGroup : group).next();
        TcpTransport tcp;
        try {
            tcp = Bootstrap.transportOf(target.parent(), transport);
        } catch (RuntimeException e) {
            socket.release();
            if (ownGroup != null) {
                ownGroup.shutdownGracefully();
            }
            throw e;
        }
        AbstractChannel channel = tcp.newSocketChannel(target);
        if (ownGroup != null) {
            channel.closeFuture().addListener(f -> ownGroup.shutdownGracefully());
        }
        DefaultChannelPromise promise = new DefaultChannelPromise(channel, true);
        PassableDescriptor copy;
        try {   // at once, on the caller's thread: a handler may hand over a received descriptor and return
            copy = FileDescriptorHandle.duplicate(socket.fd());
        } catch (IOException | RuntimeException e) {
            promise.tryFailure(e);
            target.execute(() -> channel.closeNow(null));
            return promise;
        } finally {
            socket.release();
        }
        ChannelSetup setup = new ChannelSetup(options, initializer);
        promise.addListener(f -> {   // the loop refused the task: the copy is still ours
            if (!f.isSuccess() && copy.refCnt() > 0) {
                copy.release();
            }
        });
        Bootstrap.executeOrFail(target, () -> tcp.adopt(channel, copy, setup, promise), promise);
        return promise;
    }
}
