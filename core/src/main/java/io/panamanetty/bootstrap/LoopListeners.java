package io.panamanetty.bootstrap;

import io.panamanetty.channel.ChannelFuture;
import io.panamanetty.channel.ChannelFutureListener;
import io.panamanetty.channel.ChannelHandler;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.ChannelOption;
import io.panamanetty.channel.ChannelPromise;
import io.panamanetty.channel.EventLoop;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.channel.internal.AbstractChannel;
import io.panamanetty.channel.internal.ChannelSetup;
import io.panamanetty.channel.internal.DefaultChannelPromise;
import io.panamanetty.channel.internal.TcpTransport;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link ServerBootstrap#listenerPerLoop}: one listening socket per loop of the child group,
 * all bound to one address and port with {@code SO_REUSEPORT}, each accepting onto its own
 * loop. The kernel spreads incoming connections over the listeners (by a hash of the
 * connection's addresses), so no loop hands connections to another and a busy acceptor
 * thread is not a bottleneck. Each listener pauses accepting on {@code EMFILE} by itself, as
 * a single listener does.
 *
 * <p>{@code EPOLLEXCLUSIVE} is not used: it helps when several epoll instances wait on one
 * shared listening socket, and here each loop has a socket of its own.
 *
 * <p>The first listener stands for them all: the bind's future is its, completing once
 * every listener listens (or failing, with every listener closed, when one cannot bind), and
 * closing it closes the others.
 */
final class LoopListeners {

    private LoopListeners() {
    }

    /**
     * Binds one listener per loop of {@code child} to {@code address} (port 0: the port the
     * first one got, for all).
     *
     * @param serverSetup the listeners' options and handlers; {@code SO_REUSEPORT} is added
     */
    static DefaultChannelPromise bind(TcpTransport tcp, EventLoopGroup child, ChannelSetup childSetup,
                                      ChannelSetup serverSetup, InetSocketAddress address) {
        Map<ChannelOption<?>, Object> options = new LinkedHashMap<>(serverSetup.options());
        options.put(ChannelOption.SO_REUSEPORT, true);
        ChannelSetup shared = new ChannelSetup(options, serverSetup.initializer());
        List<AbstractChannel> listeners = new ArrayList<>();
        for (EventLoop loop : child.loops()) {
            AbstractChannel listener = tcp.newLoopListener(loop, childSetup);
            listener.setup(shared);
            listeners.add(listener);
        }
        AbstractChannel first = listeners.getFirst();
        DefaultChannelPromise all = new DefaultChannelPromise(first, true);
        first.closeFuture().addListener(f -> listeners.forEach(AbstractChannel::close));
        try {
            for (AbstractChannel listener : listeners) {
                shared.initPipeline(listener);
            }
            first.pipeline().addFirst("listeners", new CloseAll(listeners));
        } catch (RuntimeException e) {
            all.tryFailure(e);
            listeners.forEach(AbstractChannel::close);
            return all;
        }
        bindFrom(0, listeners, address, all);
        return all;
    }

    /**
     * On the first listener: its close closes the others too, and completes once every one
     * of them has closed, so that {@code close().sync()} means no listener accepts any more.
     */
    private static final class CloseAll implements ChannelHandler {
        private final List<AbstractChannel> listeners;

        CloseAll(List<AbstractChannel> listeners) {
            this.listeners = listeners;
        }

        @Override
        public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
            AtomicInteger open = new AtomicInteger(listeners.size());
            ChannelFutureListener oneClosed = f -> {
                if (open.decrementAndGet() == 0) {
                    promise.trySuccess();
                }
            };
            for (AbstractChannel other : listeners.subList(1, listeners.size())) {
                other.close().addListener(oneClosed);
            }
            ctx.close(ctx.newPromise()).addListener(oneClosed);
        }
    }

    /** Binds listener {@code index} and, once it listens, the ones after it. */
    private static void bindFrom(int index, List<AbstractChannel> listeners, InetSocketAddress address,
                                 DefaultChannelPromise all) {
        if (index == listeners.size()) {
            all.trySuccess();
            return;
        }
        AbstractChannel listener = listeners.get(index);
        DefaultChannelPromise bound = new DefaultChannelPromise(listener, true);
        bound.addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                all.tryFailure(f.cause());
                listeners.forEach(AbstractChannel::close);
                return;
            }
            InetSocketAddress next = index == 0
                    ? new InetSocketAddress(address.getAddress(), ((InetSocketAddress) listener.localAddress()).getPort())
                    : address;
            bindFrom(index + 1, listeners, next, all);
        });
        try {
            listener.eventLoop().execute(() -> listener.pipeline().bind(address, bound));
        } catch (RuntimeException e) {
            bound.tryFailure(e);
        }
    }
}
