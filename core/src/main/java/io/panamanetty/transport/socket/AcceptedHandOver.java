package io.panamanetty.transport.socket;

import io.panamanetty.bindings.FileIo;
import io.panamanetty.channel.ChannelPipeline;
import io.panamanetty.channel.EventLoop;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.channel.internal.AbstractChannel;
import io.panamanetty.channel.internal.ChannelSetup;
import io.panamanetty.channel.internal.SafeLog;

import java.io.IOException;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;

/**
 * Hands a listener's accepted fd to a new channel on the next loop of the child group (or
 * on the listener's own loop, for a listener per loop), which takes the fd over there; if
 * the child group is shutting down, or making the channel fails, the fd is closed. Once the
 * channel has it ({@link #takeOver}), a failure to set it up or activate it closes the
 * channel, never the listener.
 */
public final class AcceptedHandOver {
    private AcceptedHandOver() {
    }

    /** A transport's accepted connection, taking over its fd on its own loop. */
    @FunctionalInterface
    public interface AcceptedChannel {
        /** Takes over {@code fd}: options from {@code setup}, handlers, registration, active. */
        void initAccepted(int fd, ChannelSetup setup);
    }

    /** A step of setting up an accepted channel that may fail. */
    @FunctionalInterface
    public interface SetUp {
        /**
         * Runs the step.
         *
         * @throws IOException if the kernel refuses (an option, the registration)
         */
        void run() throws IOException;
    }

    /**
     * The accepted channel's side, on its loop, once it holds the fd: {@code setUp} (options,
     * addresses, handlers, registration), then {@code activate} (channelRegistered, channelActive).
     * A failure of either is logged and closes the channel, which owns the fd by now.
     */
    public static void takeOver(AbstractChannel channel, SetUp setUp, Runnable activate) {
        try {
            setUp.run();
        } catch (Throwable t) {
            SafeLog.warning(AcceptedHandOver.class, () -> "could not set up accepted connection " + channel + "; closed", t);
            channel.closeNow();
            return;
        }
        try {
            activate.run();
        } catch (Throwable t) {   // the channel owns the fd now: never let the acceptor close it too
            SafeLog.warning(AcceptedHandOver.class, () -> "activating " + channel + " failed; closed", t);
            channel.closeNow();
        }
    }

    /**
     * Hands {@code child} over.
     *
     * @param listenerLoop the listener's loop, the child's too if {@code childGroup} is null
     * @param newChannel makes the (not yet initialised) channel on the loop it is given
     * @param listenerPipeline where a failure to make the channel is reported
     */
    public static void handOver(int child, EventLoop listenerLoop, EventLoopGroup childGroup,
                                Function<EventLoop, AcceptedChannel> newChannel, ChannelSetup childSetup,
                                ChannelPipeline listenerPipeline) {
        try {
            EventLoop childLoop = childGroup != null ? childGroup.next() : listenerLoop;
            AcceptedChannel channel = newChannel.apply(childLoop);
            if (childLoop.inEventLoop()) {
                channel.initAccepted(child, childSetup);
                return;
            }
            try {
                childLoop.execute(() -> channel.initAccepted(child, childSetup));
            } catch (RejectedExecutionException e) {
                SafeLog.debug(AcceptedHandOver.class, () -> "child group shutting down; dropping an accepted connection");
                FileIo.close(child);
            }
        } catch (Throwable t) {
            FileIo.close(child);
            listenerPipeline.fireExceptionCaught(t);
        }
    }
}
