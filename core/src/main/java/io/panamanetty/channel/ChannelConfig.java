package io.panamanetty.channel;

import io.panamanetty.buffer.BufferAllocator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * The options of one channel: framework behaviour (auto-read, water marks, read and
 * write batching, the allocator) kept here, socket options handed to the transport,
 * which applies them to the socket. {@link StreamChannelConfig} and
 * {@link ServerChannelConfig} add the options of those kinds. Safe to use from any
 * thread.
 *
 * <p>Transports make the configs of their channels and override the three
 * {@code protected} hooks; applications only set and read options.
 */
public class ChannelConfig {
    private volatile boolean autoRead = true;
    private volatile int highWaterMark = 64 * 1024;
    private volatile int lowWaterMark = 32 * 1024;
    private volatile int maxMessagesPerRead = 16;
    private volatile int writeSpinCount = 16;
    private volatile int connectTimeoutMillis = 30_000;
    private volatile BufferAllocator allocator = BufferAllocator.defaultAllocator();

    /** For transports: a config with the defaults. */
    protected ChannelConfig() {
    }

    /** True if the channel reads whenever data arrives. */
    public boolean isAutoRead() {
        return autoRead;
    }

    /**
     * Turns auto-read on or off. Off, the channel reads only when asked through
     * {@link Channel#read()}, and the peer is held back by TCP flow control.
     */
    public ChannelConfig setAutoRead(boolean on) {
        boolean old = autoRead;
        autoRead = on;
        if (old != on) {
            autoReadChanged(on);
        }
        return this;
    }

    /** Queued bytes above which the channel turns unwritable. */
    public int writeBufferHighWaterMark() {
        return highWaterMark;
    }

    /** Queued bytes below which an unwritable channel turns writable again. */
    public int writeBufferLowWaterMark() {
        return lowWaterMark;
    }

    /** Reads per wake-up. */
    public int maxMessagesPerRead() {
        return maxMessagesPerRead;
    }

    /** Write syscalls per flush before yielding to other channels. */
    public int writeSpinCount() {
        return writeSpinCount;
    }

    /** How long a connect may take, in milliseconds. */
    public int connectTimeoutMillis() {
        return connectTimeoutMillis;
    }

    /** The allocator for buffers read from the socket and created by handlers. */
    public BufferAllocator allocator() {
        return allocator;
    }

    /** Sets the allocator. */
    public ChannelConfig setAllocator(BufferAllocator newAllocator) {
        allocator = Objects.requireNonNull(newAllocator, "allocator");
        return this;
    }

    /**
     * Sets an option. Socket options take effect on the socket at once (or when it
     * is created); the transport sets them on the channel's event loop, so a call from
     * another thread waits for the loop.
     *
     * @throws UncheckedIOException if the kernel refuses a socket option
     * @throws IllegalArgumentException for a value out of range, or an option that does
     *         not apply to this kind of channel
     */
    public <T> ChannelConfig setOption(ChannelOption<T> option, T value) {
        checkFits(option);
        Object checked = option.validate(value);
        if (option == ChannelOption.AUTO_READ) {
            setAutoRead((Boolean) checked);
        } else if (option == ChannelOption.WRITE_BUFFER_HIGH_WATER_MARK) {
            int high = nonNegative(option, (Integer) checked);
            lowWaterMark = Math.min(lowWaterMark, high);
            highWaterMark = high;
        } else if (option == ChannelOption.WRITE_BUFFER_LOW_WATER_MARK) {
            int low = nonNegative(option, (Integer) checked);
            highWaterMark = Math.max(highWaterMark, low);
            lowWaterMark = low;
        } else if (option == ChannelOption.MAX_MESSAGES_PER_READ) {
            maxMessagesPerRead = Math.max(1, (Integer) checked);
        } else if (option == ChannelOption.WRITE_SPIN_COUNT) {
            writeSpinCount = Math.max(1, (Integer) checked);
        } else if (option == ChannelOption.CONNECT_TIMEOUT_MILLIS) {
            connectTimeoutMillis = nonNegative(option, (Integer) checked);
        } else if (!setKindOption(option, checked)) {
            try {
                setTransportOption(option, checked);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return this;
    }

    /**
     * Reads an option; socket options are read from the socket (on the channel's event
     * loop), as the kernel reports them.
     *
     * @throws UncheckedIOException if the kernel refuses to tell
     * @throws IllegalArgumentException for an option that does not apply to this kind of channel
     */
    @SuppressWarnings("unchecked")
    public <T> T getOption(ChannelOption<T> option) {
        checkFits(option);
        Object value;
        if (option == ChannelOption.AUTO_READ) {
            value = autoRead;
        } else if (option == ChannelOption.WRITE_BUFFER_HIGH_WATER_MARK) {
            value = highWaterMark;
        } else if (option == ChannelOption.WRITE_BUFFER_LOW_WATER_MARK) {
            value = lowWaterMark;
        } else if (option == ChannelOption.MAX_MESSAGES_PER_READ) {
            value = maxMessagesPerRead;
        } else if (option == ChannelOption.WRITE_SPIN_COUNT) {
            value = writeSpinCount;
        } else if (option == ChannelOption.CONNECT_TIMEOUT_MILLIS) {
            value = connectTimeoutMillis;
        } else {
            value = getKindOption(option);
            if (value == null) {
                try {
                    value = getTransportOption(option);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return (T) value;
    }

    /** True for an option this config keeps itself, as opposed to one the transport applies to the socket. */
    public boolean isConfigOption(ChannelOption<?> option) {
        return option == ChannelOption.AUTO_READ || option == ChannelOption.WRITE_BUFFER_HIGH_WATER_MARK
                || option == ChannelOption.WRITE_BUFFER_LOW_WATER_MARK || option == ChannelOption.MAX_MESSAGES_PER_READ
                || option == ChannelOption.WRITE_SPIN_COUNT || option == ChannelOption.CONNECT_TIMEOUT_MILLIS;
    }

    /** For subclasses of a channel kind: the kind, against which options are checked (BOTH: no check). */
    ChannelOption.AppliesTo kind() {
        return ChannelOption.AppliesTo.BOTH;
    }

    private void checkFits(ChannelOption<?> option) {
        ChannelOption.AppliesTo kind = kind();
        if (kind != ChannelOption.AppliesTo.BOTH) {
            option.checkFits(kind);
        }
    }

    /** For subclasses of a channel kind: sets an option of that kind; false if it is not one. */
    boolean setKindOption(ChannelOption<?> option, Object value) {
        return false;
    }

    /** For subclasses of a channel kind: reads an option of that kind; null if it is not one. */
    Object getKindOption(ChannelOption<?> option) {
        return null;
    }

    /** For transports: auto-read was turned on or off (any thread). */
    protected void autoReadChanged(boolean on) {
    }

    /**
     * For transports: applies an option this config does not keep (a socket option) to the
     * channel's socket.
     *
     * @throws IOException if the kernel refuses
     * @throws IllegalArgumentException if the option does not apply to the channel
     */
    protected void setTransportOption(ChannelOption<?> option, Object value) throws IOException {
        throw new IllegalArgumentException(option + " does not apply to this channel");
    }

    /**
     * For transports: reads an option this config does not keep from the channel's socket.
     *
     * @throws IOException if the kernel refuses
     * @throws IllegalArgumentException if the option does not apply to the channel
     */
    protected Object getTransportOption(ChannelOption<?> option) throws IOException {
        throw new IllegalArgumentException(option + " does not apply to this channel");
    }

    static int nonNegative(ChannelOption<?> option, int value) {
        if (value < 0) {
            throw new IllegalArgumentException(option + " must not be negative: " + value);
        }
        return value;
    }
}
