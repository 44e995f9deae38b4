package io.panamanetty.channel.group;

import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ServerChannel;

/**
 * Picks the channels of a {@link ChannelGroup} an operation applies to, such as
 * {@code group.writeAndFlush(message, ChannelMatcher.isNot(sender))}.
 */
@FunctionalInterface
public interface ChannelMatcher {

    /** True if the operation applies to {@code channel}. */
    boolean matches(Channel channel);

    /** Every channel. */
    static ChannelMatcher all() {
        return channel -> true;
    }

    /** Only {@code channel} (the same instance). */
    static ChannelMatcher is(Channel channel) {
        return candidate -> candidate == channel;
    }

    /** Every channel but {@code channel}. */
    static ChannelMatcher isNot(Channel channel) {
        return candidate -> candidate != channel;
    }

    /** Listening channels ({@link ServerChannel}). */
    static ChannelMatcher isServerChannel() {
        return channel -> channel instanceof ServerChannel;
    }

    /** Every channel that is not a listening one. */
    static ChannelMatcher isNonServerChannel() {
        return channel -> !(channel instanceof ServerChannel);
    }

    /** The channels this matcher does not pick. */
    default ChannelMatcher negate() {
        return channel -> !matches(channel);
    }

    /** The channels both this matcher and {@code other} pick. */
    default ChannelMatcher and(ChannelMatcher other) {
        return channel -> matches(channel) && other.matches(channel);
    }
}
