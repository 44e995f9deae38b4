package io.panamanetty.channel;

import java.io.IOException;
import java.io.Serial;
import java.net.InetSocketAddress;

/**
 * A datagram arrived with more ancillary (control) data than the channel had room for: the
 * kernel cut the control messages ({@code MSG_CTRUNC}), typically because a raw socket
 * option asked for more of them ({@code IP_RECVTTL}, {@code IP_RECVTOS}, timestamps...) than
 * the channel reads. The datagram itself is whole and was passed on; what was cut is control
 * data the channel does not interpret. The segment size of a coalesced ({@code UDP_GRO})
 * datagram is never among it: the kernel writes that control message first, and the channel
 * always has room for it. Fired to {@code exceptionCaught} after that datagram's
 * {@code channelRead}; the channel stays open.
 */
public final class DatagramControlTruncatedException extends IOException {
    @Serial
    private static final long serialVersionUID = 1L;

    private final transient InetSocketAddress sender;

    /**
     * @param length the datagram's length
     * @param room the control bytes the channel had for it
     * @param sender who sent it (may be null)
     */
    public DatagramControlTruncatedException(int length, int room, InetSocketAddress sender) {
        super("the control data of a datagram of " + length + " bytes" + (sender == null ? "" : " from " + sender)
                + " was cut by the kernel (MSG_CTRUNC): more than the " + room + " bytes the channel reads;"
                + " the datagram was delivered whole");
        this.sender = sender;
    }

    /** Who sent the datagram, if known. */
    public InetSocketAddress sender() {
        return sender;
    }
}
