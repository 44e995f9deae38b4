package io.panamanetty.channel.group;

/** Called once a {@link ChannelGroupFuture} is done: when every channel's operation is. */
@FunctionalInterface
public interface ChannelGroupFutureListener {

    /**
     * Every operation of {@code future} is done.
     *
     * @throws Exception anything thrown is logged and otherwise ignored
     */
    void operationComplete(ChannelGroupFuture future) throws Exception;
}
