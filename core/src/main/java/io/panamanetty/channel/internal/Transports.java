package io.panamanetty.channel.internal;

import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.channel.IoHandler;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The transports' TCP channel makers, by the class of the {@link IoHandler} the loops run
 * (whatever factory made it, a wrapper included): a bootstrap finds the one for its group's
 * loops here. A transport's handler class registers its maker as it initializes.
 */
public final class Transports {
    private static final Map<Class<?>, TcpTransport> TCP = new ConcurrentHashMap<>();
    private static final Map<Class<?>, DatagramTransport> DATAGRAM = new ConcurrentHashMap<>();
    private static final Map<Class<?>, DomainDatagramTransport> DOMAIN_DATAGRAM = new ConcurrentHashMap<>();

    private Transports() {
    }

    /**
     * Registers {@code transport} for the loops whose handlers are {@code handlerClass}es.
     *
     * @throws IllegalStateException if that class has one already
     */
    public static void registerTcp(Class<? extends IoHandler> handlerClass, TcpTransport transport) {
        if (TCP.putIfAbsent(handlerClass, transport) != null) {
            throw new IllegalStateException("a TCP transport is registered already for " + handlerClass.getName());
        }
    }

    /**
     * The TCP channel maker for the loops of {@code group}.
     *
     * @throws IllegalArgumentException if their transport has no TCP channels
     */
    public static TcpTransport tcp(EventLoopGroup group) {
        IoHandler handler = LoopInternals.access().ioHandler(group.loops().get(0));   // made before the group was returned
        TcpTransport transport = handler == null ? null : TCP.get(handler.getClass());
        if (transport == null) {
            throw new IllegalArgumentException("the loops of " + group + " run " + handler
                    + ", a transport without TCP channels");
        }
        return transport;
    }

    /**
     * Registers {@code transport}'s UDP channels for the loops whose handlers are {@code handlerClass}es.
     *
     * @throws IllegalStateException if that class has one already
     */
    public static void registerDatagram(Class<? extends IoHandler> handlerClass, DatagramTransport transport) {
        if (DATAGRAM.putIfAbsent(handlerClass, transport) != null) {
            throw new IllegalStateException("a datagram transport is registered already for " + handlerClass.getName());
        }
    }

    /**
     * The UDP channel maker for the loops of {@code group}.
     *
     * @throws IllegalArgumentException if their transport has no UDP channels
     */
    public static DatagramTransport datagram(EventLoopGroup group) {
        IoHandler handler = LoopInternals.access().ioHandler(group.loops().get(0));
        DatagramTransport transport = handler == null ? null : DATAGRAM.get(handler.getClass());
        if (transport == null) {
            throw new IllegalArgumentException("the loops of " + group + " run " + handler
                    + ", a transport without datagram channels");
        }
        return transport;
    }

    /**
     * Registers {@code transport}'s Unix domain datagram channels for the loops whose handlers
     * are {@code handlerClass}es.
     *
     * @throws IllegalStateException if that class has one already
     */
    public static void registerDomainDatagram(Class<? extends IoHandler> handlerClass,
                                              DomainDatagramTransport transport) {
        if (DOMAIN_DATAGRAM.putIfAbsent(handlerClass, transport) != null) {
            throw new IllegalStateException("a Unix datagram transport is registered already for "
                    + handlerClass.getName());
        }
    }

    /**
     * The Unix domain datagram channel maker for the loops of {@code group}.
     *
     * @throws IllegalArgumentException if their transport has no such channels
     */
    public static DomainDatagramTransport domainDatagram(EventLoopGroup group) {
        IoHandler handler = LoopInternals.access().ioHandler(group.loops().get(0));
        DomainDatagramTransport transport = handler == null ? null : DOMAIN_DATAGRAM.get(handler.getClass());
        if (transport == null) {
            throw new IllegalArgumentException("the loops of " + group + " run " + handler
                    + ", a transport without Unix domain datagram channels");
        }
        return transport;
    }
}
