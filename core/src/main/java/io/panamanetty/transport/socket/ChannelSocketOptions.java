package io.panamanetty.transport.socket;

import io.panamanetty.bindings.Errno;
import io.panamanetty.bindings.NativeIoException;
import io.panamanetty.channel.ChannelOption;
import io.panamanetty.channel.internal.ChannelSetup;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One channel's socket options on their way to its socket: set and read on the channel's
 * loop (a caller on another thread waits), kept while there is no socket yet or a connect's
 * attempts replace it, and the {@code TCP_MD5SIG} keys of the current socket. The options
 * of the TCP and IP levels are refused on a Unix domain socket (left out when they come
 * from a bootstrap). The setters and readers run on the loop except where noted.
 */
public final class ChannelSocketOptions {
    private final SocketOwner owner;
    /** The TCP_MD5SIG keys set through the option on the current socket, made on first use. */
    private Md5Keys md5Keys;
    /** Options set before the socket existed or while connecting; null if none. */
    private Map<ChannelOption<?>, Object> earlyOptions;
    /** Set while the bootstrap's options go onto a new socket: they are not kept as early options. */
    private boolean applyingSetup;

    /** The options of {@code owner}'s socket. */
    public ChannelSocketOptions(SocketOwner owner) {
        this.owner = owner;
    }

    /**
     * Applies a socket option to the socket, on the loop (waiting for it from another thread).
     * Before the socket exists, and while connecting, the option is also kept and applied to
     * each attempt's socket by {@link #applyEarly()}. From any thread.
     *
     * @throws IllegalArgumentException if {@code option} is no socket option, or one of TCP/IP on a Unix socket
     * @throws NativeIoException if the kernel refuses, or the channel is closed ({@code EBADF})
     */
    public void set(ChannelOption<?> option, Object value) throws IOException {
        check(option);
        SocketCall.onLoop(owner.eventLoop(), owner, () -> {
            if (!owner.isOpen()) {
                throw Errno.exception(Errno.EBADF, "setsockopt", option + " on closed " + owner);
            }
            if (owner.isUnixDomain() && SocketOptionTable.isInternetOption(option)) {
                if (applyingSetup) {
                    return null;   // a bootstrap's (TCP_NODELAY by default) left out on a Unix socket
                }
                throw notForUnix(option);
            }
            int fd = owner.fd();
            if (fd >= 0) {
                applyNow(fd, option, value);   // first: a value the kernel refuses is not kept for later sockets
            }
            if ((fd < 0 || owner.isConnecting()) && !applyingSetup) {
                if (earlyOptions == null) {
                    earlyOptions = new LinkedHashMap<>();
                }
                earlyOptions.put(option, value);
            }
            return null;
        });
    }

    /**
     * Reads a socket option from the socket as the kernel reports it, on the loop. From any thread.
     *
     * @throws NativeIoException if the kernel refuses, or there is no open socket ({@code EBADF})
     */
    public Object get(ChannelOption<?> option) throws IOException {
        check(option);
        return SocketCall.onLoop(owner.eventLoop(), owner, () -> {
            int fd = owner.fd();
            if (fd < 0 || !owner.isOpen()) {
                throw Errno.exception(Errno.EBADF, "getsockopt",
                        option + " on " + (owner.isOpen() ? "unconnected " : "closed ") + owner);
            }
            if (owner.isUnixDomain() && SocketOptionTable.isInternetOption(option)) {
                throw notForUnix(option);
            }
            return option == LinuxSocketOption.TCP_MD5SIG ? md5Keys().get() : SocketOptionTable.read(fd, option);
        });
    }

    /**
     * Applies all of a bootstrap's options to a new listening or accepted socket: its config's,
     * then its socket options as by {@link #applySetupOptions}. Nothing for a null setup.
     */
    public void applySetup(ChannelSetup setup) throws IOException {
        if (setup != null) {
            setup.applyConfigOptions(owner);
            applySetupOptions(setup);
        }
    }

    /**
     * Applies a bootstrap's socket options to a new socket (a connect attempt's, a datagram
     * channel's) without keeping them as early options: they are the defaults, which options
     * set through the config since then override ({@link #applyEarly()} comes after).
     * Nothing for a null setup.
     */
    public void applySetupOptions(ChannelSetup setup) throws IOException {
        if (setup == null) {
            return;
        }
        applyingSetup = true;
        try {
            setup.applySocketOptions(owner);
        } finally {
            applyingSetup = false;
        }
    }

    /**
     * For a connect attempt's new socket: the options set through the config before it existed.
     *
     * @throws NativeIoException if the kernel refuses one
     */
    public void applyEarly() throws NativeIoException {
        if (earlyOptions != null) {
            for (Map.Entry<ChannelOption<?>, Object> early : earlyOptions.entrySet()) {
                applyNow(owner.fd(), early.getKey(), early.getValue());
            }
        }
    }

    /** Connected: the options set early are on the socket and need not be kept. */
    public void forgetEarly() {
        earlyOptions = null;
    }

    /** The channel has a new socket (a connect's next attempt): the old one's MD5 keys are gone with it. */
    public void socketReplaced() {
        md5Keys = null;
    }

    private void applyNow(int fd, ChannelOption<?> option, Object value) throws NativeIoException {
        if (owner.isUnixDomain() && SocketOptionTable.isInternetOption(option)) {
            throw notForUnix(option);   // set on the config before the connect said which family
        }
        if (option == LinuxSocketOption.TCP_MD5SIG) {
            md5Keys().set(fd, (Map<?, ?>) value);
        } else {
            SocketOptionTable.apply(fd, option, value);
            owner.optionApplied(option, value);
        }
    }

    private void check(ChannelOption<?> option) {
        if (!SocketOptionTable.isSocketOption(option)) {
            throw new IllegalArgumentException(option + " does not apply to " + owner);
        }
    }

    private IllegalArgumentException notForUnix(ChannelOption<?> option) {
        return new IllegalArgumentException(option + " is an option of TCP/IP sockets, not of the Unix domain socket "
                + owner);
    }

    private Md5Keys md5Keys() {
        if (md5Keys == null) {
            md5Keys = new Md5Keys();
        }
        return md5Keys;
    }
}
