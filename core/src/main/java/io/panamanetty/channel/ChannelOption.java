package io.panamanetty.channel;

import java.util.Objects;

/**
 * A typed channel option, set on a bootstrap ({@code option(...)}, {@code childOption(...)})
 * or on a live channel's {@link ChannelConfig}, and read back there. Socket options read
 * back as the kernel reports them, which may differ from the value set (Linux doubles
 * {@code SO_RCVBUF}). Each option says which kind of channel it {@link #appliesTo()}; a
 * transport adds options of its own by subclassing (epoll's {@code EpollChannelOption}).
 *
 * @param <T> the option's value type
 */
public class ChannelOption<T> {
    /** The kinds of channel an option fits. */
    public enum AppliesTo {
        /** Connections ({@link StreamChannel}s), accepted or connected. */
        CONNECTIONS("connections"),
        /** Listening channels ({@link ServerChannel}s). */
        LISTENERS("listening channels"),
        /** Both connections and listening channels. */
        BOTH("connections and listening channels");

        private final String description;

        AppliesTo(String description) {
            this.description = description;
        }

        /** True if an option of this kind fits a channel of {@code kind}. */
        public boolean fits(AppliesTo kind) {
            return this == BOTH || this == kind;
        }

        @Override
        public String toString() {
            return description;
        }
    }

    /** Pending-connection queue length of a listening socket (default 4096, capped by the kernel). */
    public static final ChannelOption<Integer> SO_BACKLOG =
            new ChannelOption<>("SO_BACKLOG", Integer.class, AppliesTo.LISTENERS);
    /**
     * Binding a Unix socket file that exists already: remove it first if it is a socket that
     * nothing listens on (left by a server that died), and bind in its place (default off:
     * the bind fails with {@code EADDRINUSE}, naming the path). Anything else there (a live
     * server, a file that is not a socket) is never removed. Telling the two apart takes a
     * connect to the file: a live server there sees one connection open and close at once.
     */
    public static final ChannelOption<Boolean> UNIX_REMOVE_STALE_SOCKET =
            new ChannelOption<>("UNIX_REMOVE_STALE_SOCKET", Boolean.class, AppliesTo.LISTENERS);
    /**
     * Receive descriptors passed over a Unix domain socket ({@code SCM_RIGHTS}): the most one
     * read takes (1 to 253), or 0 for none (the default: plain reads; the kernel closes any
     * descriptor sent to this channel). Each received descriptor is fired as a message of its
     * own before the bytes it came with, the handler's to close; more than fit in one read are
     * closed and reported to {@code exceptionCaught} as a {@link DescriptorsTruncatedException}.
     * For Unix domain stream and datagram channels; other sockets cannot receive descriptors,
     * and there it changes nothing.
     */
    public static final ChannelOption<Integer> UNIX_RECEIVE_DESCRIPTORS =
            new ChannelOption<>("UNIX_RECEIVE_DESCRIPTORS", Integer.class, AppliesTo.CONNECTIONS);
    /** Allow binding a port still in TIME_WAIT (default on for listening sockets). */
    public static final ChannelOption<Boolean> SO_REUSEADDR = new ChannelOption<>("SO_REUSEADDR", Boolean.class);
    /** Let several sockets bind the same port, the kernel spreading connections (default off). */
    public static final ChannelOption<Boolean> SO_REUSEPORT = new ChannelOption<>("SO_REUSEPORT", Boolean.class);
    /** Disable Nagle's algorithm (default on). */
    public static final ChannelOption<Boolean> TCP_NODELAY = new ChannelOption<>("TCP_NODELAY", Boolean.class);
    /**
     * Kernel receive buffer size in bytes (default: the kernel's). For accepted connections set
     * it on the listener ({@code option(...)}): they inherit it, and the TCP window is sized from it
     * at the handshake. Set as a {@code childOption} it reaches each socket only once connected,
     * where a small value shrinks a window already advertised: loopback then crawled (1 MiB in
     * 25.7 s against 37 ms when inherited; a plain JDK server behaves the same).
     */
    public static final ChannelOption<Integer> SO_RCVBUF = new ChannelOption<>("SO_RCVBUF", Integer.class);
    /** Kernel send buffer size in bytes (default: the kernel's). */
    public static final ChannelOption<Integer> SO_SNDBUF = new ChannelOption<>("SO_SNDBUF", Integer.class);
    /** TCP keep-alive probes (default off). */
    public static final ChannelOption<Boolean> SO_KEEPALIVE = new ChannelOption<>("SO_KEEPALIVE", Boolean.class);
    /** Linger on close for this many seconds; 0 resets the connection on close; -1 off (default). */
    public static final ChannelOption<Integer> SO_LINGER = new ChannelOption<>("SO_LINGER", Integer.class);
    /** How long a connect may take before it fails (default 30 000 ms). */
    public static final ChannelOption<Integer> CONNECT_TIMEOUT_MILLIS =
            new ChannelOption<>("CONNECT_TIMEOUT_MILLIS", Integer.class);
    /** Read whenever data arrives (default on); off means read only on {@link Channel#read()}. */
    public static final ChannelOption<Boolean> AUTO_READ = new ChannelOption<>("AUTO_READ", Boolean.class);
    /** Queued bytes above which the channel turns unwritable (default 64 KiB). */
    public static final ChannelOption<Integer> WRITE_BUFFER_HIGH_WATER_MARK =
            new ChannelOption<>("WRITE_BUFFER_HIGH_WATER_MARK", Integer.class);
    /** Queued bytes below which an unwritable channel turns writable again (default 32 KiB). */
    public static final ChannelOption<Integer> WRITE_BUFFER_LOW_WATER_MARK =
            new ChannelOption<>("WRITE_BUFFER_LOW_WATER_MARK", Integer.class);
    /**
     * On the peer's FIN, fire {@link ChannelInputShutdownEvent} and keep the channel open
     * for writing, instead of closing it (default off).
     */
    public static final ChannelOption<Boolean> ALLOW_HALF_CLOSURE =
            new ChannelOption<>("ALLOW_HALF_CLOSURE", Boolean.class, AppliesTo.CONNECTIONS);
    /**
     * The IP type-of-service byte (DSCP and ECN bits) of outgoing packets; on an IPv6 socket
     * the traffic class ({@code IPV6_TCLASS}). Default 0.
     */
    public static final ChannelOption<Integer> IP_TOS = new ChannelOption<>("IP_TOS", Integer.class);
    /**
     * The TCP Fast Open queue of a listening socket: how many connections may carry data in
     * their SYN before the handshake ends (0: off, the default). Needs the server bit of
     * {@code net.ipv4.tcp_fastopen} (2, or 3 for both sides; Linux's default 1 is client only).
     */
    public static final ChannelOption<Integer> TCP_FASTOPEN =
            new ChannelOption<>("TCP_FASTOPEN", Integer.class, AppliesTo.LISTENERS);
    /**
     * Client TCP Fast Open (default off). The first connection to a server only fetches a
     * cookie; once the kernel holds one, the first write rides in the SYN
     * ({@link TcpInfo#TCPI_OPT_SYN_DATA} in {@code tcpInfo()} says it did).
     *
     * <p>What the connect means then: {@code connect()} returns at once without sending
     * anything (the SYN leaves with the first write), so the connect future succeeds and
     * {@code channelActive} fires before the server has answered; they say the connection
     * may be used, not that the server accepted it. A server that is not there is found out
     * at the first write: an {@code ECONNREFUSED} {@code exceptionCaught} (its write's promise
     * may have succeeded already, the kernel having taken the bytes), and the channel closes.
     * Without a cookie the connect goes as usual, just deferred to the first write.
     */
    public static final ChannelOption<Boolean> TCP_FASTOPEN_CONNECT =
            new ChannelOption<>("TCP_FASTOPEN_CONNECT", Boolean.class, AppliesTo.CONNECTIONS);
    /** Reads per wake-up before the loop serves other channels (default 16). */
    public static final ChannelOption<Integer> MAX_MESSAGES_PER_READ =
            new ChannelOption<>("MAX_MESSAGES_PER_READ", Integer.class);
    /** The number of write syscalls per flush before yielding to other channels (default 16). */
    public static final ChannelOption<Integer> WRITE_SPIN_COUNT =
            new ChannelOption<>("WRITE_SPIN_COUNT", Integer.class);

    private final String name;
    private final Class<T> type;
    private final AppliesTo appliesTo;

    private ChannelOption(String name, Class<T> type) {
        this(name, type, AppliesTo.BOTH);
    }

    /**
     * For transports: a new option. Options are compared by identity: make each once, as a
     * constant.
     *
     * @param name the name in messages, e.g. {@code "TCP_CORK"}
     * @param type the value type
     * @param appliesTo the kinds of channel it fits
     */
    protected ChannelOption(String name, Class<T> type, AppliesTo appliesTo) {
        this.name = Objects.requireNonNull(name, "name");
        this.type = Objects.requireNonNull(type, "type");
        this.appliesTo = Objects.requireNonNull(appliesTo, "appliesTo");
    }

    /** The option's name, e.g. {@code "TCP_NODELAY"}. */
    public final String name() {
        return name;
    }

    /** The kinds of channel this option fits. */
    public final AppliesTo appliesTo() {
        return appliesTo;
    }

    /**
     * Checks that this option fits a channel of {@code kind}.
     *
     * @throws IllegalArgumentException naming where the option belongs if it does not
     */
    public final void checkFits(AppliesTo kind) {
        if (!appliesTo.fits(kind)) {
            throw new IllegalArgumentException(name + " is an option of " + appliesTo + ", not of " + kind);
        }
    }

    /** Checks {@code value}'s type and returns it. */
    public final T validate(Object value) {
        Objects.requireNonNull(value, name);
        return type.cast(value);
    }

    @Override
    public String toString() {
        return name;
    }

    /** An option of a channel kind's own option class ({@link DatagramChannelOption}). */
    static <T> ChannelOption<T> define(String name, Class<T> type) {
        return new ChannelOption<>(name, type);
    }
}
