package io.panamanetty.transport.socket;

import io.panamanetty.bindings.FileIo;
import io.panamanetty.channel.ChannelPipeline;
import io.panamanetty.channel.EventLoop;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.channel.internal.ChannelSetup;
import io.panamanetty.channel.internal.SafeLog;

import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;

/**
 * Hands a listener's accepted fd to a new channel on the next loop of the child group (or
 * on the listener's own loop, for a listener per loop), which takes the fd over there; if
 * the child group is shutting down, or making the channel fails, the fd is closed.
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
