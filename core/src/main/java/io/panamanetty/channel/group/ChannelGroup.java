package io.panamanetty.channel.group;

import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelId;

import java.util.Set;

/**
 * A thread-safe set of open channels that forgets each channel as it closes, and applies
 * one operation to all of them (or to those a {@link ChannelMatcher} picks) with one
 * aggregate {@link ChannelGroupFuture}: a broadcast, a flush, a shutdown.
 *
 * <p>A message written to a group is shared, not copied: a {@link io.panamanetty.buffer.Buffer}
 * goes to each channel as a {@linkplain io.panamanetty.buffer.Buffer#retainedDuplicate()
 * retained duplicate} (same memory, its own indices, one reference), and the group releases the
 * caller's reference once every channel has its view; other reference-counted messages are
 * retained once per channel. So the caller hands its reference to the group, as with a channel
 * write. Listening channels ({@link io.panamanetty.channel.ServerChannel}) may be members: they
 * are closed with the group but never written to or flushed.
 */
public interface ChannelGroup extends Set<Channel> {

    /** The group's name, for messages. */
    String name();

    /** The member with {@code id}, or null. */
    Channel find(ChannelId id);

    /** Writes {@code message} to every member that is not a listening channel. */
    default ChannelGroupFuture write(Object message) {
        return write(message, ChannelMatcher.all());
    }

    /** Writes {@code message} to the members {@code matcher} picks (listening channels never). */
    ChannelGroupFuture write(Object message, ChannelMatcher matcher);

    /** Flushes every member that is not a listening channel. */
    default ChannelGroup flush() {
        return flush(ChannelMatcher.all());
    }

    /** Flushes the members {@code matcher} picks (listening channels never). */
    ChannelGroup flush(ChannelMatcher matcher);

    /** Writes and flushes {@code message} to every member that is not a listening channel. */
    default ChannelGroupFuture writeAndFlush(Object message) {
        return writeAndFlush(message, ChannelMatcher.all());
    }

    /** Writes and flushes {@code message} to the members {@code matcher} picks (listening channels never). */
    ChannelGroupFuture writeAndFlush(Object message, ChannelMatcher matcher);

    /** Closes every member, listening channels first; the future is done when all have closed. */
    default ChannelGroupFuture close() {
        return close(ChannelMatcher.all());
    }

    /** Closes the members {@code matcher} picks, listening channels first. */
    ChannelGroupFuture close(ChannelMatcher matcher);

    /**
     * A future done once every present member has closed, however that happens; it closes
     * nothing itself. Members added later are not part of it.
     */
    default ChannelGroupFuture newCloseFuture() {
        return newCloseFuture(ChannelMatcher.all());
    }

    /** A future done once every present member {@code matcher} picks has closed. */
    ChannelGroupFuture newCloseFuture(ChannelMatcher matcher);
}
