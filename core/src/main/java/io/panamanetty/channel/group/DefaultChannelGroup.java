package io.panamanetty.channel.group;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.buffer.CompositeBuffer;
import io.panamanetty.buffer.IllegalReferenceCountException;
import io.panamanetty.buffer.ReferenceCounted;
import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelFuture;
import io.panamanetty.channel.ChannelFutureListener;
import io.panamanetty.channel.ChannelId;
import io.panamanetty.channel.ServerChannel;

import java.nio.ByteBuffer;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The {@link ChannelGroup}: members kept in concurrent maps by id, listening channels apart
 * from the others. Each member's close future carries one listener of the group that removes
 * it; {@link #remove} takes that listener back, so a channel that leaves the group keeps no
 * trace of it. Netty's {@code DefaultChannelGroup}, without an executor: a group future's
 * listeners run on the thread that completes its last part (usually an event loop). A group
 * equals only itself, whatever its members (as in Netty).
 */
public class DefaultChannelGroup extends AbstractSet<Channel> implements ChannelGroup {
    private static final AtomicInteger NEXT_ID = new AtomicInteger();

    private final String name;
    private final boolean stayClosed;
    private final Map<ChannelId, Channel> serverChannels = new ConcurrentHashMap<>();
    private final Map<ChannelId, Channel> channels = new ConcurrentHashMap<>();
    private final ChannelFutureListener remover = future -> remove(future.channel());
    private volatile boolean closed;

    /** An empty group with a generated name. */
    public DefaultChannelGroup() {
        this("group-" + NEXT_ID.incrementAndGet());
    }

    /** An empty group called {@code name}. */
    public DefaultChannelGroup(String name) {
        this(name, false);
    }

    /**
     * An empty group called {@code name}; with {@code stayClosed}, once {@link #close()} (of all
     * members) has been called, a channel added afterwards is closed at once instead of kept.
     */
    public DefaultChannelGroup(String name, boolean stayClosed) {
        if (name == null) {
            throw new NullPointerException("name");
        }
        this.name = name;
        this.stayClosed = stayClosed;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Channel find(ChannelId id) {
        Channel channel = channels.get(id);
        return channel != null ? channel : serverChannels.get(id);
    }

    private Map<ChannelId, Channel> mapOf(Channel channel) {
        return channel instanceof ServerChannel ? serverChannels : channels;
    }

    /** Adds {@code channel}; it leaves the group by itself when it closes (at once, if it already has). */
    @Override
    public boolean add(Channel channel) {
        boolean added = mapOf(channel).putIfAbsent(channel.id(), channel) == null;
        if (added) {
            channel.closeFuture().addListener(remover);
        }
        if (stayClosed && closed) {
            channel.close();   // remover takes it out again
        }
        return added;
    }

    @Override
    public boolean remove(Object object) {
        if (!(object instanceof Channel channel) || !mapOf(channel).remove(channel.id(), channel)) {
            return false;
        }
        channel.closeFuture().removeListener(remover);
        return true;
    }

    @Override
    public boolean contains(Object object) {
        return object instanceof Channel channel && mapOf(channel).get(channel.id()) == channel;
    }

    @Override
    public int size() {
        return channels.size() + serverChannels.size();
    }

    @Override
    public boolean isEmpty() {
        return channels.isEmpty() && serverChannels.isEmpty();
    }

    @Override
    public void clear() {
        for (Channel channel : this) {
            remove(channel);
        }
    }

    /** Iterates over listening channels, then the others; weakly consistent, removal supported. */
    @Override
    public Iterator<Channel> iterator() {
        Iterator<Channel> all = Stream.concat(serverChannels.values().stream(), channels.values().stream()).iterator();
        return new Iterator<>() {
            private Channel last;

            @Override
            public boolean hasNext() {
                return all.hasNext();
            }

            @Override
            public Channel next() {
                last = all.next();
                return last;
            }

            @Override
            public void remove() {
                if (last == null) {
                    throw new IllegalStateException("next() first");
                }
                DefaultChannelGroup.this.remove(last);
                last = null;
            }
        };
    }

    @Override
    public ChannelGroupFuture write(Object message, ChannelMatcher matcher) {
        return send(message, matcher, (channel, shared) -> channel.write(shared));
    }

    @Override
    public ChannelGroupFuture writeAndFlush(Object message, ChannelMatcher matcher) {
        return send(message, matcher, (channel, shared) -> channel.writeAndFlush(shared));
    }

    @Override
    public ChannelGroup flush(ChannelMatcher matcher) {
        for (Channel channel : channels.values()) {
            if (matcher.matches(channel)) {
                channel.flush();
            }
        }
        return this;
    }

    /** Closes every member; with {@code stayClosed}, channels added from now on are closed too. */
    @Override
    public ChannelGroupFuture close() {
        closed = true;
        return close(ChannelMatcher.all());
    }

    @Override
    public ChannelGroupFuture close(ChannelMatcher matcher) {
        return each(matcher, Channel::close);
    }

    @Override
    public ChannelGroupFuture newCloseFuture(ChannelMatcher matcher) {
        return each(matcher, Channel::closeFuture);
    }

    private ChannelGroupFuture each(ChannelMatcher matcher, Function<Channel, ChannelFuture> operation) {
        LinkedHashMap<Channel, ChannelFuture> futures = new LinkedHashMap<>();
        for (Map<ChannelId, Channel> members : List.of(serverChannels, channels)) {
            for (Channel channel : members.values()) {
                if (matcher.matches(channel)) {
                    futures.put(channel, operation.apply(channel));
                }
            }
        }
        return new DefaultChannelGroupFuture(this, futures);
    }

    /** What sends one channel its share of a message. */
    private interface Send {
        ChannelFuture apply(Channel channel, Object shared);
    }

    private ChannelGroupFuture send(Object message, ChannelMatcher matcher, Send send) {
        if (message == null) {
            throw new NullPointerException("message");
        }
        if (message instanceof ReferenceCounted counted && counted.refCnt() == 0) {
            throw new IllegalReferenceCountException(
                    "writing a released " + message.getClass().getSimpleName() + " to " + name);
        }
        LinkedHashMap<Channel, ChannelFuture> futures = new LinkedHashMap<>();
        try {
            for (Channel channel : channels.values()) {
                if (matcher.matches(channel)) {
                    futures.put(channel, send.apply(channel, share(message)));
                }
            }
        } finally {
            if (message instanceof ReferenceCounted counted) {
                counted.release();   // the caller's reference: each channel has its own
            }
        }
        return new DefaultChannelGroupFuture(this, futures);
    }

    /**
     * One channel's share of {@code message}: a view with its own indices and reference for a
     * buffer (the memory is not copied), another reference for other counted messages, a
     * duplicate of a {@link ByteBuffer} (its position is consumed), the message itself otherwise.
     */
    private static Object share(Object message) {
        return switch (message) {
            case Buffer buffer -> buffer.retainedDuplicate();
            case CompositeBuffer composite -> composite.retainedSlice();
            case ReferenceCounted counted -> counted.retain();
            case ByteBuffer bytes -> bytes.duplicate();
            default -> message;
        };
    }

    @Override
    public boolean equals(Object other) {
        return this == other;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }

    @Override
    public String toString() {
        return "ChannelGroup(" + name + ", " + size() + " channel(s))";
    }
}
