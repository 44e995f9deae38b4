package io.panamanetty.channel;

/** Called once a {@link ChannelFuture} is done. */
@FunctionalInterface
public interface ChannelFutureListener {

    /** Closes the channel when the operation has failed. */
    ChannelFutureListener CLOSE_ON_FAILURE = future -> {
        if (!future.isSuccess()) {
            future.channel().close();
        }
    };

    /** Closes the channel once the operation is done, successfully or not. */
    ChannelFutureListener CLOSE = future -> future.channel().close();

    /**
     * The operation of {@code future} is done.
     *
     * @throws Exception anything thrown is logged; it never reaches the event loop
     */
    void operationComplete(ChannelFuture future) throws Exception;
}
