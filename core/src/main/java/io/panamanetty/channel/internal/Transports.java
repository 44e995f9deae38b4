package io.panamanetty.channel.internal;

import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.channel.IoHandlerFactory;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The transports' TCP channel makers, by the class of the {@link IoHandlerFactory} whose
 * loops they run on: a bootstrap finds the one for its group's loops here. A transport's
 * factory class registers its maker as it initializes.
 */
public final class Transports {
    private static final Map<Class<?>, TcpTransport> TCP = new ConcurrentHashMap<>();

    private Transports() {
    }

    /**
     * Registers {@code transport} for the loops {@code factoryClass}'s instances make.
     *
     * @throws IllegalStateException if that class has one already
     */
    public static void registerTcp(Class<? extends IoHandlerFactory> factoryClass, TcpTransport transport) {
        if (TCP.putIfAbsent(factoryClass, transport) != null) {
            throw new IllegalStateException("a TCP transport is registered already for " + factoryClass.getName());
        }
    }

    /**
     * The TCP channel maker for the loops of {@code group}.
     *
     * @throws IllegalArgumentException if their transport has no TCP channels
     */
    public static TcpTransport tcp(EventLoopGroup group) {
        IoHandlerFactory factory = group.ioHandlerFactory();
        TcpTransport transport = TCP.get(factory.getClass());
        if (transport == null) {
            throw new IllegalArgumentException("the loops of " + group + " run " + factory
                    + ", a transport without TCP channels");
        }
        return transport;
    }
}
