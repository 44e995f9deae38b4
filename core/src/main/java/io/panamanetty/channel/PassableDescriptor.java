package io.panamanetty.channel;

import io.panamanetty.buffer.ReferenceCounted;

/**
 * A file descriptor that a Unix domain socket can pass to its peer ({@code SCM_RIGHTS}),
 * owned by the object and closed when its last reference is released (the file package's
 * {@code FileDescriptorHandle} is the one kind). Written to a Unix domain stream channel, or
 * to a connected Unix domain datagram channel, it goes out on its own; attached to a
 * {@link DomainDatagramPacket}, with that datagram. Received, each descriptor is fired as one
 * of these before the bytes it came with, and the buffer ownership rule applies to it: the
 * {@code channelRead} callback closes, passes on or retains it, or the framework closes it
 * when the callback returns.
 */
public interface PassableDescriptor extends ReferenceCounted {

    /**
     * The descriptor number, valid while a reference is held.
     *
     * @throws io.panamanetty.buffer.IllegalReferenceCountException if it is closed
     */
    int fd();
}
