package io.panamanetty.channel;

/**
 * A {@link ChannelFuture} that can be completed: what outbound handlers receive with
 * each {@code write}, {@code flush}, {@code close} so they can complete or pass it on.
 */
public interface ChannelPromise extends ChannelFuture {

    /** Marks the operation a success; false if it was already done. */
    boolean trySuccess();

    /** Marks the operation failed with {@code cause}; false if it was already done. */
    boolean tryFailure(Throwable cause);

    /** Marks the operation a success; throws {@link IllegalStateException} if already done. */
    default ChannelPromise setSuccess() {
        if (!trySuccess()) {
            throw new IllegalStateException("already complete: " + this);
        }
        return this;
    }

    /** Marks the operation failed; throws {@link IllegalStateException} if already done. */
    default ChannelPromise setFailure(Throwable cause) {
        if (!tryFailure(cause)) {
            throw new IllegalStateException("already complete: " + this, cause);
        }
        return this;
    }

    @Override
    ChannelPromise addListener(ChannelFutureListener listener);

    @Override
    ChannelPromise removeListener(ChannelFutureListener listener);

    /** True for the {@linkplain ChannelHandlerContext#voidPromise() void promise}, which cannot be listened to. */
    default boolean isVoid() {
        return false;
    }
}
