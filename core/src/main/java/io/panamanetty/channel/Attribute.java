package io.panamanetty.channel;

import java.util.concurrent.atomic.AtomicReference;

/**
 * A value attached to a channel under an {@link AttributeKey}; thread-safe.
 *
 * @param <T> the value's type
 */
public final class Attribute<T> {
    private final AttributeKey<T> key;
    private final AtomicReference<T> value = new AtomicReference<>();

    /** An empty attribute for {@code key} (channels make them on first use). */
    public Attribute(AttributeKey<T> key) {
        this.key = key;
    }

    /** The key of this attribute. */
    public AttributeKey<T> key() {
        return key;
    }

    /** The value, or null if none is set. */
    public T get() {
        return value.get();
    }

    /** Sets the value. */
    public void set(T newValue) {
        value.set(newValue);
    }

    /** Sets the value and returns the old one. */
    public T getAndSet(T newValue) {
        return value.getAndSet(newValue);
    }

    /** Sets the value if none is set; returns the value that was there (null if it was set now). */
    public T setIfAbsent(T newValue) {
        return value.compareAndExchange(null, newValue);
    }

    /** True if the value was {@code expected} and is now {@code newValue}. */
    public boolean compareAndSet(T expected, T newValue) {
        return value.compareAndSet(expected, newValue);
    }

    @Override
    public String toString() {
        return key.name() + "=" + value.get();
    }
}
