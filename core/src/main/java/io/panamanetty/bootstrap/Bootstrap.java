package io.panamanetty.bootstrap;

import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelFuture;
import io.panamanetty.channel.ChannelHandler;
import io.panamanetty.channel.ChannelOption;
import io.panamanetty.channel.ChannelPromise;
import io.panamanetty.channel.ConnectTimeoutException;
import io.panamanetty.channel.DatagramChannel;
import io.panamanetty.channel.DomainSocketAddress;
import io.panamanetty.channel.EventLoop;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.channel.IoHandlerFactory;
import io.panamanetty.channel.StreamChannel;
import io.panamanetty.channel.internal.AbstractChannel;
import io.panamanetty.channel.internal.ChannelSetup;
import io.panamanetty.channel.internal.DefaultChannelPromise;
import io.panamanetty.channel.internal.TcpTransport;
import io.panamanetty.channel.internal.Transports;
import io.panamanetty.handler.EchoHandler;
import io.panamanetty.tls.TlsContext;
import io.panamanetty.tls.TlsContexts;
import io.panamanetty.tls.TlsHandler;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Sets up and connects a TCP client channel, or one over a Unix domain stream socket
 * ({@link #connect(Path)}), or, with {@link #channel}, a UDP one:
 * <pre>{@code
 * Channel ch = new Bootstrap().handler(HttpHandler::new)
 *         .connect("example.org", 80).sync().channel();
 * ch.write("GET / HTTP/1.1\r\nHost: example.org\r\n\r\n");
 * }</pre>
 * Host names are resolved off the event loop and each address is tried in turn.
 * Without a group, the bootstrap makes a one-thread group for the channel and shuts
 * it down when the channel closes. {@link #group(EventLoop)} puts the channel on a
 * given loop, e.g. the loop of an accepted channel that the new one forwards to.
 * The channel is of the loops' transport: epoll unless the group was made with another
 * {@link IoHandlerFactory} (or, for the bootstrap's own group, {@link #transport} says so).
 *
 * <p>UDP: {@code channel(DatagramChannel.class)}, then {@link #bind(String, int)} for a
 * server or {@link #connect(String, int)} for a socket connected to one peer:
 * <pre>{@code
 * new Bootstrap().channel(DatagramChannel.class).bind("::", 5300).sync().channel()   // a UDP echo server
 *         .closeFuture().sync();
 * }</pre>
 *
 * <p>Defaults: {@code TCP_NODELAY} on, connect timeout 30 s, handler: echo.
 */
public final class Bootstrap {
    private EventLoopGroup group;
    private EventLoop loop;
    private Consumer<Channel> initializer = channel -> channel.pipeline().addLast("echo", new EchoHandler());
    private final Map<ChannelOption<?>, Object> options = new LinkedHashMap<>();
    private TlsContext tls;
    private IoHandlerFactory transport;
    private InetSocketAddress localAddress;
    private String tlsServerName;
    private boolean datagram;

    /** A bootstrap with the defaults. */
    public Bootstrap() {
        options.put(ChannelOption.TCP_NODELAY, true);
    }

    /** Connects channels on loops of {@code group}, round-robin. */
    public Bootstrap group(EventLoopGroup group) {
        this.group = Objects.requireNonNull(group, "group");
        this.loop = null;
        return this;
    }

    /** Connects channels on {@code loop}. */
    public Bootstrap group(EventLoop loop) {
        this.loop = Objects.requireNonNull(loop, "loop");
        this.group = null;
        return this;
    }

    /**
     * The transport of the group this bootstrap makes when it is given none (default:
     * epoll). With a group, the group's loops decide, and they must be of this transport.
     */
    public Bootstrap transport(IoHandlerFactory ioHandlerFactory) {
        this.transport = Objects.requireNonNull(ioHandlerFactory, "ioHandlerFactory");
        return this;
    }

    /**
     * The kind of channel to make: {@link StreamChannel} (TCP, the default) or
     * {@link DatagramChannel} (UDP: {@link #bind} for a server, {@link #connect} for a client
     * of one peer; given a Unix domain socket address, either makes a
     * {@link io.panamanetty.channel.DomainDatagramChannel} instead). The transport of the loops
     * picks the implementation.
     *
     * @throws IllegalArgumentException for another kind
     */
    public Bootstrap channel(Class<? extends Channel> kind) {
        if (kind != StreamChannel.class && kind != DatagramChannel.class) {
            throw new IllegalArgumentException("a Bootstrap makes StreamChannel or DatagramChannel channels, not "
                    + kind.getName() + " (listening TCP channels come from a ServerBootstrap)");
        }
        this.datagram = kind == DatagramChannel.class;
        return this;
    }

    /** Each channel gets a new handler from {@code factory}. */
    public Bootstrap handler(Supplier<? extends ChannelHandler> factory) {
        Objects.requireNonNull(factory, "factory");
        this.initializer = channel -> channel.pipeline().addLast("handler", factory.get());
        return this;
    }

    /**
     * Each channel gets {@code handler} itself: a {@link ChannelHandler.Sharable} one, such as
     * a {@link io.panamanetty.channel.ChannelInitializer} (Netty's {@code handler(new ChannelInitializer<>() {...})}).
     *
     * @throws IllegalArgumentException if {@code handler} is not sharable: give a factory instead,
     *         {@code handler(() -> new MyHandler())}
     */
    public Bootstrap handler(ChannelHandler handler) {
        Objects.requireNonNull(handler, "handler");
        if (!handler.getClass().isAnnotationPresent(ChannelHandler.Sharable.class)) {
            throw new IllegalArgumentException(handler.getClass().getName() + " is not @ChannelHandler.Sharable, so one"
                    + " instance cannot serve every channel; pass a factory: handler(() -> new "
                    + handler.getClass().getSimpleName() + "(...))");
        }
        this.initializer = channel -> channel.pipeline().addLast("handler", handler);
        return this;
    }

    /** Each channel is set up by {@code initializer} (e.g. to add several handlers). */
    public Bootstrap initializer(Consumer<Channel> initializer) {
        this.initializer = Objects.requireNonNull(initializer, "initializer");
        return this;
    }

    /**
     * Talks TLS (1.2/1.3) when {@code on}: the server's certificate is verified against the
     * JDK's trust store and must match the host passed to {@code connect}, which is also
     * sent as SNI. The connect future completes once the handshake has succeeded, and
     * fails with its reason (e.g. an untrusted certificate or a wrong host name); that failure
     * is reported there only, not also logged as an unhandled pipeline exception.
     * For a custom CA, ALPN or {@code verify(false)}, pass a context: {@link #tls(TlsContext)}.
     */
    public Bootstrap tls(boolean on) {
        this.tls = on ? TlsContexts.client().build() : null;
        return this;
    }

    /**
     * Talks TLS with the settings of {@code context} (see {@link #tls(boolean)}).
     *
     * @throws IllegalArgumentException for a server context
     */
    public Bootstrap tls(TlsContext context) {
        if (!context.isClient()) {
            throw new IllegalArgumentException("a client needs a client TlsContext (TlsContexts.client())");
        }
        this.tls = context;
        return this;
    }

    /**
     * The name the server's TLS certificate must hold (and the SNI sent), instead of the host
     * given to {@code connect}: needed over a Unix domain socket, which has no host name (else
     * only a context with {@code verify(false)} connects); null (the default) for the host.
     */
    public Bootstrap tlsServerName(String serverName) {
        this.tlsServerName = serverName;
        return this;
    }

    /**
     * An option of the channel, e.g. {@link ChannelOption#CONNECT_TIMEOUT_MILLIS}.
     *
     * @throws IllegalArgumentException for an option of listening channels ({@code SO_BACKLOG})
     */
    public <T> Bootstrap option(ChannelOption<T> option, T value) {
        options.put(OptionKinds.forConnections(option, "Bootstrap.option"), option.validate(value));
        return this;
    }

    /**
     * Binds each channel's socket to {@code localAddress} before connecting (Netty's
     * {@code localAddress}): a source address and port the peer sees. A wildcard address
     * ({@code 0.0.0.0} or {@code ::}) fits a peer of either family; port 0 lets the kernel
     * pick the port (see {@code EpollChannelOption.IP_BIND_ADDRESS_NO_PORT} for sharing one).
     * The connect fails if the bind does, naming the address and errno.
     *
     * @throws IllegalArgumentException for an unresolved address
     */
    public Bootstrap localAddress(InetSocketAddress localAddress) {
        Objects.requireNonNull(localAddress, "localAddress");
        if (localAddress.isUnresolved()) {
            throw new IllegalArgumentException("a local address must be resolved: " + localAddress);
        }
        this.localAddress = localAddress;
        return this;
    }

    /** Binds each channel's socket to {@code host} (resolved now) and {@code port} before connecting. */
    public Bootstrap localAddress(String host, int port) {
        return localAddress(new InetSocketAddress(host, port));
    }

    /** Binds each channel's socket to {@code port} on the wildcard address before connecting. */
    public Bootstrap localAddress(int port) {
        return localAddress(new InetSocketAddress(port));
    }

    /** Connects to {@code host} (a name or a literal address) on {@code port}. */
    public ChannelFuture connect(String host, int port) {
        return connect(InetSocketAddress.createUnresolved(host, port));
    }

    /** Connects to the Unix domain socket file {@code socketFile}; see {@link #connect(SocketAddress)}. */
    public ChannelFuture connect(Path socketFile) {
        return connect(DomainSocketAddress.of(socketFile));
    }

    /**
     * Connects to {@code address}: an {@link InetSocketAddress}, resolved first (off the event
     * loop) if it is unresolved, or a Unix domain socket's ({@link DomainSocketAddress}, or the
     * JDK's {@link java.net.UnixDomainSocketAddress}). The future fails with a
     * {@link java.net.ConnectException} naming the address and errno (e.g. {@code ECONNREFUSED},
     * or {@code ENOENT} for a socket file that is not there), a {@link ConnectTimeoutException},
     * or an {@link UnknownHostException}. Over a Unix socket, TLS has no host to check the
     * server's certificate against: name the server with {@link #tlsServerName}.
     */
    public ChannelFuture connect(SocketAddress address) {
        if (datagram) {
            DomainSocketAddress unix = DomainDatagrams.domainOf(address);
            if (unix != null && localAddress == null && tls == null) {   // autobound, so that the peer can answer
                return DomainDatagrams.open(group, loop, transport, options, initializer, null, unix);
            }
            if (!(address instanceof InetSocketAddress inet)) {
                throw new IllegalArgumentException("a datagram channel connects to an InetSocketAddress, or a Unix"
                        + " domain socket address without TLS or an Internet local address, not " + address);
            }
            return UdpDatagrams.open(group, loop, transport, options, initializer, tls, localAddress, inet);   // bound first if a local address is set
        }
        EventLoopGroup ownGroup = group == null && loop == null ? ownGroup(transport, 1, "panama-client") : null;
        EventLoop target = loop != null ? loop : (ownGroup != null ? ownGroup : group).next();
        TcpTransport tcp;
        try {
            tcp = transportOf(target.parent(), transport);
        } catch (RuntimeException e) {
            if (ownGroup != null) {
                ownGroup.shutdownGracefully();
            }
            throw e;
        }
        AbstractChannel channel = tcp.newSocketChannel(target);
        if (ownGroup != null) {
            channel.closeFuture().addListener(f -> ownGroup.shutdownGracefully());
        }
        DefaultChannelPromise userPromise = new DefaultChannelPromise(channel, true).cancelClosesChannel();
        DefaultChannelPromise promise = userPromise;
        Consumer<Channel> handlers = initializer;
        if (tls != null) {
            TlsHandler tlsHandler;
            try {
                tlsHandler = address instanceof InetSocketAddress inet
                        ? tls.newHandler(tlsServerName != null ? tlsServerName : inet.getHostString(), inet.getPort())
                        : tls.newHandler(tlsServerName, -1);   // null: refused unless verification is off
            } catch (RuntimeException e) {
                userPromise.tryFailure(e);
                target.execute(() -> channel.closeNow(null));   // and with it the bootstrap's own group
                return userPromise;
            }
            handlers = ch -> {
                ch.pipeline().addLast("tls", tlsHandler);
                initializer.accept(ch);
            };
            channel.reportedElsewhere(cause -> {   // the connect future carries a failed handshake
                CompletableFuture<?> handshake = tlsHandler.handshakeFuture();
                return handshake.isCompletedExceptionally() && handshake.exceptionNow() == cause;
            });
            promise = new DefaultChannelPromise(channel, true).cancelClosesChannel();   // the TCP connect
            completeAfterHandshake(promise, tlsHandler, userPromise);
        }
        ChannelSetup setup = new ChannelSetup(options, handlers);
        try {
            setup.applyConfigOptions(channel);
            setup.initPipeline(channel);
        } catch (RuntimeException e) {
            promise.tryFailure(e);
            target.execute(() -> channel.closeNow(null));
            return userPromise;
        }
        channel.setup(setup);
        DefaultChannelPromise connectPromise = promise;
        connectPromise.addListener(f -> {   // refused by a handler, or a bad address: the channel (and own group) go
            if (!f.isSuccess() && channel.isOpen()) {
                channel.close();
            }
        });
        InetSocketAddress local = localAddress;
        executeOrFail(target, () -> channel.pipeline().connect(address, local, connectPromise), connectPromise);
        return userPromise;
    }

    /**
     * A stream channel, with this bootstrap's options and handler, on the connected socket
     * {@code socket} (TCP or Unix, received over a Unix socket, say), whose reference passes to
     * it; the socket is made non-blocking (its other copies share that). The future fails for
     * a descriptor that is not a connected stream socket.
     *
     * @throws IllegalStateException with TLS set (add a TLS handler of the right side instead), or for datagrams
     */
    public ChannelFuture adopt(io.panamanetty.channel.PassableDescriptor socket) {
        return AdoptedSockets.adopt(group, loop, transport, options, initializer, tls != null || datagram, socket);
    }

    /** Binds a {@link DatagramChannel} to all interfaces (IPv4 and IPv6) on {@code port}; see {@link #bind(InetSocketAddress)}. */
    public ChannelFuture bind(int port) {
        return bind(new InetSocketAddress(port));
    }

    /**
     * Binds a {@link DatagramChannel} to {@code host} (a literal address or a name; {@code "::"}
     * is every interface, IPv4 and IPv6) on {@code port}; see {@link #bind(InetSocketAddress)}.
     */
    public ChannelFuture bind(String host, int port) {
        return bind(InetSocketAddress.createUnresolved(host, port));
    }

    /**
     * Binds a {@link DatagramChannel} (see {@link #channel}) to {@code address}, resolving it
     * first (off the event loop) if it is unresolved; the future completes once the channel
     * is bound and active, or fails naming the address and errno, e.g.
     * {@code bind 0.0.0.0:5353 failed: EADDRINUSE (Address already in use)}.
     *
     * @throws IllegalStateException if this bootstrap makes TCP channels (use a ServerBootstrap to listen)
     */
    public ChannelFuture bind(InetSocketAddress address) {
        if (!datagram) {
            throw new IllegalStateException("bind is for datagram channels: call channel(DatagramChannel.class)"
                    + " first, or use a ServerBootstrap for a TCP server");
        }
        return UdpDatagrams.open(group, loop, transport, options, initializer, tls, address, null);
    }

    /** Binds a Unix domain datagram channel to the socket file {@code socketFile}; see {@link #bind(SocketAddress)}. */
    public ChannelFuture bind(Path socketFile) {
        return bind(DomainSocketAddress.of(socketFile));
    }

    /**
     * Binds a datagram channel to {@code address}: an {@link InetSocketAddress} makes a UDP
     * {@link DatagramChannel} ({@link #bind(InetSocketAddress)}); a Unix domain socket's (ours:
     * a path, removed on close, or {@code @abstract}; or the JDK's) a
     * {@link io.panamanetty.channel.DomainDatagramChannel}.
     *
     * @throws IllegalStateException if this bootstrap makes stream channels
     */
    public ChannelFuture bind(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            return bind(inet);
        }
        DomainSocketAddress unix = DomainDatagrams.domainOf(address);
        if (!datagram || unix == null || tls != null) {
            throw new IllegalStateException(!datagram ? "bind is for datagram channels: call"
                    + " channel(DatagramChannel.class) first, or use a ServerBootstrap for a stream server"
                    : unix == null ? "a datagram channel binds to an InetSocketAddress or a Unix domain socket"
                    + " address, not " + address : "TLS is for stream channels");
        }
        return DomainDatagrams.open(group, loop, transport, options, initializer, unix, null);
    }

    /** The user's future of a TLS connect: done when the handshake is, or when the TCP connect fails. */
    private static void completeAfterHandshake(ChannelPromise connect, TlsHandler handler, ChannelPromise user) {
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                user.tryFailure(f.cause());
            }
        });
        handler.handshakeFuture().whenComplete((session, failure) -> {
            if (failure == null) {
                user.trySuccess();
            } else {
                Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                user.tryFailure(cause);
                user.channel().close();
            }
        });
    }

    /** Runs {@code task} on {@code loop}, or fails {@code promise} if the loop has terminated. */
    static void executeOrFail(EventLoop loop, Runnable task, ChannelPromise promise) {
        try {
            loop.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            java.nio.channels.ClosedChannelException closed = new java.nio.channels.ClosedChannelException();
            closed.initCause(e);
            promise.tryFailure(closed);
        }
    }

    /** A group of the bootstrap's own, of {@code transport} (null: the default one). */
    static EventLoopGroup ownGroup(IoHandlerFactory transport, int threads, String name) {
        return transport == null ? new EventLoopGroup(threads, name) : new EventLoopGroup(threads, name, transport);
    }

    /**
     * The TCP channels of {@code group}'s transport.
     *
     * @throws IllegalArgumentException if {@code wanted} is set and the group runs another transport
     */
    static TcpTransport transportOf(EventLoopGroup group, IoHandlerFactory wanted) {
        if (group == null) {
            throw new IllegalArgumentException("a loop of no group (an EmbeddedEventLoop) has no transport to connect with");
        }
        if (wanted != null && wanted.getClass() != group.ioHandlerFactory().getClass()) {
            throw new IllegalArgumentException(group + " runs " + group.ioHandlerFactory()
                    + ", not the transport asked for (" + wanted + ")");
        }
        return Transports.tcp(group);
    }
}
