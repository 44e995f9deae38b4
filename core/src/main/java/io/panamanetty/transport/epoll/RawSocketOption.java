package io.panamanetty.transport.epoll;

import io.panamanetty.channel.ChannelOption;
import io.panamanetty.transport.socket.RawOption;

/**
 * The escape hatch for a socket option epoll's channels do not name: a level and an option
 * number, with an {@code int} value or raw bytes, set with {@code setsockopt} and read back
 * with {@code getsockopt} like the named ones (Netty's {@code IntegerUnixChannelOption} and
 * {@code RawUnixChannelOption}); io_uring's TCP channels take it too. Make each once and keep it: options are compared by identity.
 * <pre>{@code
 * static final ChannelOption<Integer> TCP_WINDOW_CLAMP = RawSocketOption.ofInt("TCP_WINDOW_CLAMP", 6, 10);
 * }</pre>
 *
 * @param <T> {@code Integer} or {@code byte[]}
 */
// RawOption is how the transports' shared socket code (not exported) reads the level and
// number without naming this package; to users this class's own methods are the whole API.
@SuppressWarnings("exports")
public final class RawSocketOption<T> extends ChannelOption<T> implements RawOption {
    private final int level;
    private final int optionName;
    private final int capacity;
    private final boolean intValued;

    private RawSocketOption(String name, Class<T> type, int level, int optionName, int capacity) {
        super(name, type, AppliesTo.BOTH);
        this.intValued = type == Integer.class;
        this.level = level;
        this.optionName = optionName;
        this.capacity = capacity;
    }

    /** An option whose value is a C {@code int}, e.g. {@code ofInt("TCP_WINDOW_CLAMP", SOL_TCP, 10)}. */
    public static RawSocketOption<Integer> ofInt(String name, int level, int optionName) {
        return new RawSocketOption<>(name, Integer.class, level, optionName, 4);
    }

    /**
     * An option whose value is bytes, passed as they are; reading returns as many as the
     * kernel fills in, at most {@code capacity}.
     */
    public static RawSocketOption<byte[]> ofBytes(String name, int level, int optionName, int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        return new RawSocketOption<>(name, byte[].class, level, optionName, capacity);
    }

    /** The {@code level} argument of {@code setsockopt}, e.g. 6 for {@code SOL_TCP}. */
    @Override
    public int level() {
        return level;
    }

    /** The {@code optname} argument of {@code setsockopt}. */
    @Override
    public int optionName() {
        return optionName;
    }

    /** The most bytes a read returns. */
    @Override
    public int capacity() {
        return capacity;
    }

    /** True for an {@code int} option, false for bytes. */
    @Override
    public boolean isInt() {
        return intValued;
    }
}
