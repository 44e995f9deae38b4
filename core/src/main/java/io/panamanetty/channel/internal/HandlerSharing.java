package io.panamanetty.channel.internal;

import io.panamanetty.channel.ChannelHandler;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Enforces that a handler not marked {@link ChannelHandler.Sharable} sits in one
 * pipeline at a time: a handler instance is claimed when added, released when removed.
 */
final class HandlerSharing {
    private static final Map<Class<?>, Boolean> SHARABLE = new ConcurrentHashMap<>();
    private static final Set<ChannelHandler> IN_USE = Collections.newSetFromMap(new IdentityHashMap<>());

    private HandlerSharing() {
    }

    /** True if {@code handler}'s class is marked sharable. */
    static boolean isSharable(ChannelHandler handler) {
        return SHARABLE.computeIfAbsent(handler.getClass(), c -> c.isAnnotationPresent(ChannelHandler.Sharable.class));
    }

    /**
     * Claims {@code handler} for a pipeline.
     *
     * @throws IllegalStateException if it is not sharable and already in a pipeline
     */
    static void claim(ChannelHandler handler) {
        if (isSharable(handler)) {
            return;
        }
        synchronized (IN_USE) {
            if (!IN_USE.add(handler)) {
                throw new IllegalStateException(handler.getClass().getName() + " is already in a pipeline and is"
                        + " not @ChannelHandler.Sharable; create one instance per channel or mark it sharable");
            }
        }
    }

    /** Releases the claim on {@code handler}. */
    static void release(ChannelHandler handler) {
        if (!isSharable(handler)) {
            synchronized (IN_USE) {
                IN_USE.remove(handler);
            }
        }
    }
}
