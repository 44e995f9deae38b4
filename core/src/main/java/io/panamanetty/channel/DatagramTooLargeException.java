package io.panamanetty.channel;

import java.io.IOException;
import java.io.Serial;
import java.net.InetSocketAddress;

/**
 * A datagram arrived that is longer than the channel's
 * {@link DatagramChannelOption#MAX_DATAGRAM_SIZE}: the kernel reported it as truncated
 * ({@code MSG_TRUNC}) and the channel dropped it rather than pass on a cut datagram. Fired
 * to {@code exceptionCaught}; the channel stays open.
 */
public final class DatagramTooLargeException extends IOException {
    @Serial
    private static final long serialVersionUID = 1L;

    private final int length;
    private final transient InetSocketAddress sender;

    /**
     * @param length the datagram's length, as the kernel reported it
     * @param limit the channel's largest datagram
     * @param sender who sent it (may be null)
     */
    public DatagramTooLargeException(int length, int limit, InetSocketAddress sender) {
        super("dropped a datagram of " + length + " bytes" + (sender == null ? "" : " from " + sender)
                + ": longer than MAX_DATAGRAM_SIZE (" + limit + " bytes); raise it to receive such datagrams");
        this.length = length;
        this.sender = sender;
    }

    /** The dropped datagram's length in bytes. */
    public int length() {
        return length;
    }

    /** Who sent the dropped datagram, if known. */
    public InetSocketAddress sender() {
        return sender;
    }
}
