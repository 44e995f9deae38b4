package io.panamanetty.channel;

/**
 * A connected byte stream (a TCP connection; later a Unix stream socket): a
 * {@link Channel} whose two directions can end apart (half-closure).
 */
public interface StreamChannel extends Channel {

    @Override
    StreamChannelConfig config();

    /**
     * Half-closes: sends FIN after the bytes queued before it; reading goes on. Writes
     * after it fail.
     */
    ChannelFuture shutdownOutput();

    /** True once the peer's end of input was seen (kept open by {@link ChannelOption#ALLOW_HALF_CLOSURE}). */
    boolean isInputShutdown();

    /** True once the output is shut down, or a shutdown is asked for and waits for queued bytes. */
    boolean isOutputShutdown();
}
