package io.panamanetty.channel;

import java.io.IOException;
import java.io.Serial;
import java.net.InetSocketAddress;

/**
 * A datagram arrived with more ancillary (control) data than the channel had room for: the
 * kernel cut the control messages ({@code MSG_CTRUNC}), typically because raw socket options
 * asked for more of them ({@code IP_RECVTTL}, {@code IP_RECVTOS}, {@code IP_PKTINFO},
 * timestamps...) than the channel reads. Usually the datagram itself is whole and was passed
 * on ({@link #dropped()} false); what was cut is control data the channel does not interpret.
 * With {@link DatagramChannelOption#UDP_GRO} on, though, the segment size of coalesced
 * datagrams may be what was cut, and then nobody can tell where one datagram ends: such a
 * datagram is dropped ({@link #dropped()} true) rather than passed on as one. Fired to
 * {@code exceptionCaught} (after the datagram's {@code channelRead} if it was passed on); the
 * channel stays open.
 */
public final class DatagramControlTruncatedException extends IOException {
    @Serial
    private static final long serialVersionUID = 1L;

    private final transient InetSocketAddress sender;
    private final boolean dropped;

    /**
     * @param length the datagram's length
     * @param room the control bytes the channel had for it
     * @param sender who sent it (may be null)
     * @param dropped whether the datagram was dropped (its boundaries unknown) rather than passed on
     */
    public DatagramControlTruncatedException(int length, int room, InetSocketAddress sender, boolean dropped) {
        super("the control data of a datagram of " + length + " bytes" + (sender == null ? "" : " from " + sender)
                + " was cut by the kernel (MSG_CTRUNC): more than the " + room + " bytes the channel reads; "
                + (dropped ? "dropped: with UDP_GRO on, its segment size may be what was cut (ask for fewer"
                        + " control messages)" : "the datagram was delivered whole"));
        this.sender = sender;
        this.dropped = dropped;
    }

    /** Who sent the datagram, if known. */
    public InetSocketAddress sender() {
        return sender;
    }

    /** Whether the datagram was dropped rather than passed on. */
    public boolean dropped() {
        return dropped;
    }
}
