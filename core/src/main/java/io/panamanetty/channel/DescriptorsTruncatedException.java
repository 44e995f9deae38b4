package io.panamanetty.channel;

import java.io.IOException;
import java.io.Serial;

/**
 * A peer passed more descriptors in one message over a Unix domain socket than the channel
 * had room for ({@code MSG_CTRUNC} on the read, see
 * {@link ChannelOption#UNIX_RECEIVE_DESCRIPTORS}): the kernel closed those that did not fit,
 * and the channel closed those that did, since the set is incomplete. The bytes that came
 * with them are delivered as usual. Fired to {@code exceptionCaught}; the channel stays open.
 */
public final class DescriptorsTruncatedException extends IOException {
    @Serial
    private static final long serialVersionUID = 1L;

    private final int arrived;
    private final int room;

    /**
     * @param arrived the descriptors that fitted (and were closed)
     * @param room the most the channel takes in one read
     */
    public DescriptorsTruncatedException(int arrived, int room) {
        super("a message passed more descriptors than the " + room + " this channel takes in one read"
                + " (MSG_CTRUNC): the kernel closed the rest, and the " + arrived + " that fitted were closed too;"
                + " raise UNIX_RECEIVE_DESCRIPTORS to take more");
        this.arrived = arrived;
        this.room = room;
    }

    /** How many descriptors fitted (all closed). */
    public int arrived() {
        return arrived;
    }

    /** The most descriptors the channel took in one read. */
    public int room() {
        return room;
    }
}
