package io.panamanetty.channel;

import java.util.Objects;

/**
 * The key of a typed {@link Attribute} attached to a channel. Keys compare by identity:
 * keep them in {@code static final} fields.
 *
 * @param <T> the type of the attribute's value
 */
public final class AttributeKey<T> {
    private final String name;

    private AttributeKey(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    /** A new key named {@code name} (the name is for messages only). */
    public static <T> AttributeKey<T> newInstance(String name) {
        return new AttributeKey<>(name);
    }

    /** The name given at creation. */
    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return "AttributeKey(" + name + ")";
    }
}
