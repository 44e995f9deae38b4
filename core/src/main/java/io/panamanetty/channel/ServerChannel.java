package io.panamanetty.channel;

/**
 * A listening socket: it accepts connections and hands each to a child channel of its
 * bootstrap; it neither reads nor writes messages itself ({@link #isWritable()} is false,
 * writes fail).
 */
public interface ServerChannel extends Channel {

    @Override
    ServerChannelConfig config();
}
