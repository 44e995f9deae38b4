package io.panamanetty.bootstrap;

import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelFuture;
import io.panamanetty.channel.ChannelHandler;
import io.panamanetty.channel.ChannelOption;
import io.panamanetty.channel.DomainSocketAddress;
import io.panamanetty.channel.EventLoop;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.channel.IoHandlerFactory;
import io.panamanetty.channel.internal.AbstractChannel;
import io.panamanetty.channel.internal.ChannelSetup;
import io.panamanetty.channel.internal.DefaultChannelPromise;
import io.panamanetty.channel.internal.TcpTransport;
import io.panamanetty.handler.EchoHandler;
import io.panamanetty.tls.ReplaceableTlsContext;
import io.panamanetty.tls.SniContexts;
import io.panamanetty.tls.SniHandler;
import io.panamanetty.tls.TlsContext;
import io.panamanetty.tls.TlsContexts;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Sets up and binds a TCP server, or one on a Unix domain socket ({@link #bind(Path)}). With
 * nothing configured it is an echo server:
 * <pre>{@code
 * new ServerBootstrap().bind("0.0.0.0", 8080).closeFuture().sync();
 * }</pre>
 * A parent group accepts, a child group serves the accepted channels; each accepted
 * channel gets its own handler from the {@link #childHandler} factory. Without
 * groups, the bootstrap makes its own (1 acceptor thread, one worker per processor)
 * and shuts them down when the server channel closes. The channels are of the groups'
 * transport (epoll unless they were made with another {@link IoHandlerFactory}; for the
 * bootstrap's own groups, {@link #transport} chooses); both groups must run the same one.
 *
 * <p>Defaults: {@code SO_REUSEADDR} and {@code TCP_NODELAY} on, backlog 4096.
 */
public final class ServerBootstrap {

    private EventLoopGroup parentGroup;
    private EventLoopGroup childGroup;
    private Consumer<Channel> childInitializer = channel -> channel.pipeline().addLast("echo", new EchoHandler());
    private final Map<ChannelOption<?>, Object> options = new LinkedHashMap<>();
    private final Map<ChannelOption<?>, Object> childOptions = new LinkedHashMap<>();
    /** The first handler of each accepted channel under TLS, and its name; null without TLS. */
    private Supplier<ChannelHandler> tlsHandlers;
    private String tlsHandlerName;
    private IoHandlerFactory transport;
    private ChannelHandler serverHandler;
    private boolean listenerPerLoop;

    /** A bootstrap with the defaults: an echo server. */
    public ServerBootstrap() {
        childOptions.put(ChannelOption.TCP_NODELAY, true);
    }

    /** Accepts on {@code parent}, serves accepted channels on {@code child}. */
    public ServerBootstrap group(EventLoopGroup parent, EventLoopGroup child) {
        this.parentGroup = Objects.requireNonNull(parent, "parent");
        this.childGroup = Objects.requireNonNull(child, "child");
        return this;
    }

    /** Accepts and serves on the same group. */
    public ServerBootstrap group(EventLoopGroup group) {
        return group(group, group);
    }

    /**
     * The transport of the groups this bootstrap makes when it is given none (default:
     * epoll). With groups, the groups' loops decide, and they must be of this transport.
     */
    public ServerBootstrap transport(IoHandlerFactory ioHandlerFactory) {
        this.transport = Objects.requireNonNull(ioHandlerFactory, "ioHandlerFactory");
        return this;
    }

    /**
     * A handler for the listening channel itself (Netty's {@code ServerBootstrap.handler}):
     * it sees the server channel's events ({@code channelActive}, failures to accept,
     * {@code channelInactive}) and may intercept its {@code bind}. Accepted channels go
     * straight to their loops, not through it as Netty's {@code channelRead}s.
     */
    public ServerBootstrap handler(ChannelHandler handler) {
        this.serverHandler = Objects.requireNonNull(handler, "handler");
        return this;
    }

    /**
     * With {@code true}, binds one listening socket per loop of the child group, all on the
     * same port with {@code SO_REUSEPORT}, each accepting onto its own loop: the kernel
     * spreads the connections, and no acceptor thread hands them over (the parent group is
     * not used). The bind's channel is the first listener; closing it closes them all. A
     * {@link #handler server handler} must then be {@link ChannelHandler.Sharable}.
     */
    public ServerBootstrap listenerPerLoop(boolean on) {
        this.listenerPerLoop = on;
        return this;
    }

    /** Each accepted channel gets a new handler from {@code factory}. */
    public ServerBootstrap childHandler(Supplier<? extends ChannelHandler> factory) {
        Objects.requireNonNull(factory, "factory");
        this.childInitializer = channel -> channel.pipeline().addLast("handler", factory.get());
        return this;
    }

    /**
     * Each accepted channel gets {@code handler} itself: a {@link ChannelHandler.Sharable} one, such as
     * a {@link io.panamanetty.channel.ChannelInitializer} (Netty's {@code childHandler(new ChannelInitializer<>() {...})}).
     *
     * @throws IllegalArgumentException if {@code handler} is not sharable: give a factory instead,
     *         {@code childHandler(() -> new MyHandler())}
     */
    public ServerBootstrap childHandler(ChannelHandler handler) {
        Objects.requireNonNull(handler, "handler");
        if (!handler.getClass().isAnnotationPresent(ChannelHandler.Sharable.class)) {
            throw new IllegalArgumentException(handler.getClass().getName() + " is not @ChannelHandler.Sharable, so one"
                    + " instance cannot serve every channel; pass a factory: childHandler(() -> new "
                    + handler.getClass().getSimpleName() + "(...))");
        }
        this.childInitializer = channel -> channel.pipeline().addLast("handler", handler);
        return this;
    }

    /** Each accepted channel is set up by {@code initializer} (e.g. to add several handlers). */
    public ServerBootstrap childInitializer(Consumer<Channel> initializer) {
        this.childInitializer = Objects.requireNonNull(initializer, "initializer");
        return this;
    }

    /**
     * Serves TLS: each accepted channel gets a {@link io.panamanetty.tls.TlsHandler} in
     * front of its handlers, and {@code channelHandshakeComplete} fires once it succeeds.
     *
     * @throws IllegalArgumentException for a client context
     */
    public ServerBootstrap tls(TlsContext context) {
        if (context.isClient()) {
            throw new IllegalArgumentException("a server needs a server TlsContext (TlsContexts.server(...))");
        }
        return tls("tls", context::newHandler);
    }

    /**
     * Serves TLS from a context that may be {@linkplain ReplaceableTlsContext#replace replaced}
     * while the server runs: each accepted channel gets a {@link io.panamanetty.tls.TlsHandler}
     * (named {@code "tls"}) of the context current when it is accepted.
     */
    public ServerBootstrap tls(ReplaceableTlsContext context) {
        Objects.requireNonNull(context, "context");
        return tls("tls", context::newHandler);
    }

    /**
     * Serves several host names on one port, each with its own context, chosen by the name the
     * client asks for (SNI): each accepted channel starts with an {@link SniHandler} (named
     * {@code "sni"}) that puts the chosen context's {@code TlsHandler} ({@code "tls"}) in its place.
     */
    public ServerBootstrap tls(SniContexts contexts) {
        Objects.requireNonNull(contexts, "contexts");
        return tls("sni", contexts::newHandler);
    }

    private ServerBootstrap tls(String name, Supplier<ChannelHandler> handlers) {
        this.tlsHandlerName = name;
        this.tlsHandlers = handlers;
        return this;
    }

    /**
     * Serves TLS 1.2/1.3 with the certificate chain and private key of PEM files (the same
     * file may hold both, as in py-netty's {@code certfile}/{@code keyfile}).
     *
     * @throws IllegalArgumentException naming a file that is missing, unreadable or malformed
     */
    public ServerBootstrap tls(Path certificateChainPem, Path privateKeyPem) {
        return tls(TlsContexts.server(certificateChainPem, privateKeyPem).build());
    }

    /**
     * An option of the listening channel, e.g. {@link ChannelOption#SO_BACKLOG}.
     *
     * @throws IllegalArgumentException for an option of connections ({@code ALLOW_HALF_CLOSURE})
     */
    public <T> ServerBootstrap option(ChannelOption<T> option, T value) {
        options.put(OptionKinds.forListeners(option), option.validate(value));
        return this;
    }

    /**
     * An option of every accepted channel, e.g. {@link ChannelOption#TCP_NODELAY}.
     *
     * @throws IllegalArgumentException for an option of listening channels ({@code SO_BACKLOG})
     */
    public <T> ServerBootstrap childOption(ChannelOption<T> option, T value) {
        childOptions.put(OptionKinds.forConnections(option, "ServerBootstrap.childOption"), option.validate(value));
        return this;
    }

    /** Binds all interfaces on {@code port}; see {@link #bind(InetSocketAddress)}. */
    public ChannelFuture bind(int port) {
        return bind(new InetSocketAddress(port));
    }

    /** Binds {@code host} (a literal address or a name) on {@code port}; see {@link #bind(InetSocketAddress)}. */
    public ChannelFuture bind(String host, int port) {
        return bind(new InetSocketAddress(host, port));
    }

    /**
     * Listens on the Unix domain socket file {@code socketFile}, removed again when the server
     * closes; see {@link #bind(SocketAddress)}.
     */
    public ChannelFuture bind(Path socketFile) {
        return bind(DomainSocketAddress.of(socketFile));
    }

    /**
     * Binds and starts listening on {@code address}: an {@link InetSocketAddress}, or a Unix
     * domain socket's ({@link DomainSocketAddress}, or the JDK's
     * {@link java.net.UnixDomainSocketAddress}). Called from a thread that is not the acceptor
     * loop, it returns once the socket is listening or the bind has failed; the future then
     * says which, and its {@link ChannelFuture#closeFuture()} rethrows a bind failure
     * from {@code sync()}, e.g. {@code bind 0.0.0.0:8080 failed: EADDRINUSE (Address already in use)}.
     *
     * <p>A socket file is created by the bind and removed when the server closes. One that is
     * there already fails the bind ({@code EADDRINUSE}, saying whether a server listens on it);
     * {@link ChannelOption#UNIX_REMOVE_STALE_SOCKET} replaces one that nothing listens on.
     * The options of the TCP and IP levels ({@code TCP_NODELAY}...) are left out on a Unix socket.
     *
     * @throws IllegalArgumentException for a Unix address with {@link #listenerPerLoop}, which
     *         needs {@code SO_REUSEPORT} (Unix sockets have no such sharing)
     */
    public ChannelFuture bind(SocketAddress address) {
        if (listenerPerLoop && !(address instanceof InetSocketAddress)) {
            throw new IllegalArgumentException("a listener per loop shares a port with SO_REUSEPORT, which "
                    + (address instanceof DomainSocketAddress || address instanceof UnixDomainSocketAddress
                    ? "a Unix domain socket (" + address + ") cannot do: bind it without listenerPerLoop"
                    : "needs an InetSocketAddress, not " + address));
        }
        boolean ownGroups = parentGroup == null;
        EventLoopGroup parent = ownGroups ? Bootstrap.ownGroup(transport, 1, "panama-acceptor") : parentGroup;
        EventLoopGroup child;
        try {
            child = ownGroups
                    ? Bootstrap.ownGroup(transport, Runtime.getRuntime().availableProcessors(), "panama-worker")
                    : childGroup;
        } catch (RuntimeException e) {   // out of descriptors, say: the acceptor group made just now goes too
            parent.shutdownGracefully();
            throw e;
        }
        TcpTransport tcp;
        try {
            tcp = Bootstrap.transportOf(parent, transport);
            if (tcp != Bootstrap.transportOf(child, transport)) {
                throw new IllegalArgumentException("the parent group " + parent + " and the child group " + child
                        + " run different transports");
            }
        } catch (RuntimeException e) {
            if (ownGroups) {
                parent.shutdownGracefully();
                child.shutdownGracefully();
            }
            throw e;
        }
        Supplier<ChannelHandler> tlsFirst = tlsHandlers;
        String tlsName = tlsHandlerName;
        Consumer<Channel> handlers = childInitializer;
        Consumer<Channel> initializer = tlsFirst == null ? handlers : channel -> {
            channel.pipeline().addLast(tlsName, tlsFirst.get());
            handlers.accept(channel);
        };
        ChannelSetup childSetup = new ChannelSetup(childOptions, initializer);
        ChannelHandler ownHandler = serverHandler;
        ChannelSetup serverSetup = new ChannelSetup(options, channel -> {
            if (ownHandler != null) {
                channel.pipeline().addLast("handler", ownHandler);
            }
        });
        if (listenerPerLoop) {
            return bindPerLoop(tcp, parent, child, ownGroups, childSetup, serverSetup, (InetSocketAddress) address);
        }
        EventLoop loop = parent.next();
        AbstractChannel server = tcp.newServerChannel(loop, child, childSetup);
        DefaultChannelPromise promise = new DefaultChannelPromise(server, true);
        if (ownGroups) {
            server.closeFuture().addListener(f -> {
                parent.shutdownGracefully();
                child.shutdownGracefully();
            });
        }
        if (address instanceof InetSocketAddress inet && inet.isUnresolved()) {
            promise.tryFailure(new UnknownHostException("cannot resolve " + inet.getHostString()));
            server.closeNow(null);
            return promise;
        }
        server.setup(serverSetup);
        try {
            serverSetup.initPipeline(server);
        } catch (RuntimeException e) {
            promise.tryFailure(e);
            server.closeNow(null);
            return promise;
        }
        promise.addListener(f -> {   // refused by a handler: the listener (and own groups) go, as when the kernel refuses
            if (!f.isSuccess() && server.isOpen()) {
                server.close();
            }
        });
        loop.execute(() -> server.pipeline().bind(address, promise));
        if (!loop.inEventLoop()) {
            try {
                promise.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return promise;
    }

    private ChannelFuture bindPerLoop(TcpTransport tcp, EventLoopGroup parent, EventLoopGroup child, boolean ownGroups,
                                      ChannelSetup childSetup, ChannelSetup serverSetup, InetSocketAddress address) {
        if (serverHandler != null && !serverHandler.getClass().isAnnotationPresent(ChannelHandler.Sharable.class)) {
            throw new IllegalArgumentException("with a listener per loop, the server handler "
                    + serverHandler.getClass().getName() + " goes to every listener and must be @ChannelHandler.Sharable");
        }
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("cannot resolve " + address.getHostString());
        }
        DefaultChannelPromise promise = LoopListeners.bind(tcp, child, childSetup, serverSetup, address);
        if (ownGroups) {
            promise.channel().closeFuture().addListener(f -> {
                parent.shutdownGracefully();
                child.shutdownGracefully();
            });
        }
        if (currentLoop(child) == null) {   // not called from one of the loops, which would wait for itself
            try {
                promise.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return promise;
    }

    /** The loop of {@code group} the calling thread runs, or null. */
    private static EventLoop currentLoop(EventLoopGroup group) {
        for (EventLoop loop : group.loops()) {
            if (loop.inEventLoop()) {
                return loop;
            }
        }
        return null;
    }
}
