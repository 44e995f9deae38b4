package io.panamanetty.channel.internal;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.channel.DatagramPacket;
import io.panamanetty.channel.EventLoop;
import io.panamanetty.channel.IoHandler;

import java.net.InetSocketAddress;

/**
 * What channels and transports need of an {@link EventLoop} and applications must not
 * use: its I/O handler, the end-of-turn flush queue, and its recycled datagram packets. Not exported from the module.
 * Installed once, by the event loops' package ({@code LoopAccess}).
 */
public final class LoopInternals {
    private static volatile Access access;

    /** The accessor the event loops' package installs. */
    public interface Access {
        /** The I/O handler of {@code loop}; call on the loop's thread (null before the loop started). */
        IoHandler ioHandler(EventLoop loop);

        /** Runs {@code flush} when {@code loop}'s current turn ends; call on the loop's thread. */
        void flushAtEndOfTurn(EventLoop loop, Runnable flush);

        /**
         * A received datagram's packet around {@code content} (whose reference passes to it),
         * from {@code loop}'s recycled packets when it has any; released on the loop's thread,
         * it goes back to them. Call on the loop's thread.
         */
        DatagramPacket receivedPacket(EventLoop loop, Buffer content, InetSocketAddress recipient,
                                      InetSocketAddress sender, int segmentSize);
    }

    private LoopInternals() {
    }

    /**
     * Called once, by the event loops' package.
     *
     * @throws IllegalStateException on a second call: the accessor is the loop's alone
     */
    public static synchronized void install(Access loops) {
        if (access != null) {
            throw new IllegalStateException("LoopInternals is installed already");
        }
        access = loops;
    }

    /** The installed accessor; initializing the loops' {@code LoopAccess} installs it. */
    public static Access access() {
        Access current = access;
        if (current == null) {
            try {
                // by name: the class is package-private to the loops, and must stay so
                Class.forName(EventLoop.class.getPackageName() + ".LoopAccess", true, EventLoop.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new AssertionError(e);
            }
            current = access;
        }
        return current;
    }
}
