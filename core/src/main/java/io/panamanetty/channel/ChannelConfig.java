package io.panamanetty.channel;

import io.panamanetty.bindings.NativeIoException;
import io.panamanetty.bindings.Sockets;
import io.panamanetty.buffer.BufferAllocator;

import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * The options of one channel: framework behaviour (auto-read, water marks,
 * half-closure, read and write batching) kept here, socket options applied to the
 * socket. Safe to use from any thread.
 */
public final class ChannelConfig {
    private final AbstractChannel channel;
    private volatile boolean autoRead = true;
    private volatile int highWaterMark = 64 * 1024;
    private volatile int lowWaterMark = 32 * 1024;
    private volatile boolean allowHalfClosure;
    private volatile int maxMessagesPerRead = 16;
    private volatile int writeSpinCount = 16;
    private volatile int connectTimeoutMillis = 30_000;
    private volatile int backlog = Sockets.SOMAXCONN;
    private volatile BufferAllocator allocator = BufferAllocator.defaultAllocator();

    ChannelConfig(AbstractChannel channel) {
        this.channel = channel;
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
            channel.autoReadChanged(on);
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

    /** True if a FIN from the peer is reported as {@link ChannelInputShutdownEvent} instead of closing. */
    public boolean isAllowHalfClosure() {
        return allowHalfClosure;
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

    /** The listen backlog (listening channels). */
    public int backlog() {
        return backlog;
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
     * is created).
     *
     * @throws UncheckedIOException if the kernel refuses a socket option
     * @throws IllegalArgumentException for a value out of range
     */
    public <T> ChannelConfig setOption(ChannelOption<T> option, T value) {
        Object checked = option.validate(value);
        if (option == ChannelOption.AUTO_READ) {
            setAutoRead((Boolean) checked);
        } else if (option == ChannelOption.WRITE_BUFFER_HIGH_WATER_MARK) {
            int high = positive(option, (Integer) checked);
            lowWaterMark = Math.min(lowWaterMark, high);
            highWaterMark = high;
        } else if (option == ChannelOption.WRITE_BUFFER_LOW_WATER_MARK) {
            int low = positive(option, (Integer) checked);
            highWaterMark = Math.max(highWaterMark, low);
            lowWaterMark = low;
        } else if (option == ChannelOption.ALLOW_HALF_CLOSURE) {
            allowHalfClosure = (Boolean) checked;
        } else if (option == ChannelOption.MAX_MESSAGES_PER_READ) {
            maxMessagesPerRead = Math.max(1, (Integer) checked);
        } else if (option == ChannelOption.WRITE_SPIN_COUNT) {
            writeSpinCount = Math.max(1, (Integer) checked);
        } else if (option == ChannelOption.CONNECT_TIMEOUT_MILLIS) {
            connectTimeoutMillis = positive(option, (Integer) checked);
        } else if (option == ChannelOption.SO_BACKLOG) {
            backlog = positive(option, (Integer) checked);
        } else {
            try {
                channel.applySocketOption(option, checked);
            } catch (NativeIoException e) {
                throw new UncheckedIOException(e);
            }
        }
        return this;
    }

    /** Reads an option; socket options are read from the socket. */
    @SuppressWarnings("unchecked")
    public <T> T getOption(ChannelOption<T> option) {
        Object value;
        if (option == ChannelOption.AUTO_READ) {
            value = autoRead;
        } else if (option == ChannelOption.WRITE_BUFFER_HIGH_WATER_MARK) {
            value = highWaterMark;
        } else if (option == ChannelOption.WRITE_BUFFER_LOW_WATER_MARK) {
            value = lowWaterMark;
        } else if (option == ChannelOption.ALLOW_HALF_CLOSURE) {
            value = allowHalfClosure;
        } else if (option == ChannelOption.MAX_MESSAGES_PER_READ) {
            value = maxMessagesPerRead;
        } else if (option == ChannelOption.WRITE_SPIN_COUNT) {
            value = writeSpinCount;
        } else if (option == ChannelOption.CONNECT_TIMEOUT_MILLIS) {
            value = connectTimeoutMillis;
        } else if (option == ChannelOption.SO_BACKLOG) {
            value = backlog;
        } else {
            try {
                value = channel.readSocketOption(option);
            } catch (NativeIoException e) {
                throw new UncheckedIOException(e);
            }
        }
        return (T) value;
    }

    private static int positive(ChannelOption<?> option, int value) {
        if (value < 0) {
            throw new IllegalArgumentException(option + " must not be negative: " + value);
        }
        return value;
    }
}
