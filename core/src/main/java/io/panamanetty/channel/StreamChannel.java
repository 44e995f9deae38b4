package io.panamanetty.channel;

/**
 * A connected byte stream (a TCP connection or a Unix stream socket): a
 * {@link Channel} whose two directions can end apart (half-closure).
 */
public interface StreamChannel extends Channel {

    @Override
    StreamChannelConfig config();

    /**
     * Half-closes: sends FIN after the bytes queued before it; reading goes on. Writes
     * after it fail. Once the FIN has left, {@link ChannelOutputShutdownEvent} is fired; with
     * the input shut down too, the channel closes.
     */
    ChannelFuture shutdownOutput();

    /**
     * Stops reading: the socket's receiving side is shut down ({@code shutdown(SHUT_RD)}),
     * bytes not yet read are dropped, and {@link ChannelInputShutdownEvent} is fired; writing
     * goes on. With the output shut down too, the channel closes. The future fails if the
     * channel is closed.
     */
    ChannelFuture shutdownInput();

    /**
     * A snapshot of the connection's TCP state ({@code getsockopt(TCP_INFO)}), read on the
     * channel's event loop (a caller on another thread waits for it).
     *
     * @throws java.io.UncheckedIOException if the channel is closed or not connected, naming the errno
     * @throws UnsupportedOperationException for a stream that is not TCP
     */
    TcpInfo tcpInfo();

    /**
     * The credentials of the process at the other end of a Unix domain socket
     * ({@code SO_PEERCRED}): taken by the kernel when the connection was made, so they stay
     * those of the process that connected (or listened) even if it changed ids since. Read on
     * the channel's event loop (a caller on another thread waits for it).
     *
     * @throws java.io.UncheckedIOException if the channel is closed or not connected, naming the errno
     * @throws UnsupportedOperationException for a stream that is not a Unix domain socket (by
     *         default, for a transport without Unix domain sockets)
     */
    default PeerCredentials peerCredentials() {
        throw new UnsupportedOperationException("peer credentials are known for Unix domain sockets, not for " + this);
    }

    /**
     * True once the peer's end of input was seen (kept open by {@link ChannelOption#ALLOW_HALF_CLOSURE}),
     * or the input was shut down by {@link #shutdownInput()}.
     */
    boolean isInputShutdown();

    /** True once the output is shut down, or a shutdown is asked for and waits for queued bytes. */
    boolean isOutputShutdown();
}
