package io.panamanetty.channel;

/**
 * A snapshot of a TCP connection's state as the kernel keeps it (Linux's
 * {@code struct tcp_info}), from {@link StreamChannel#tcpInfo()}. Times are in
 * microseconds unless named otherwise, rates in bytes per second, sizes in bytes; a
 * field the running kernel does not fill in is 0.
 *
 * @param state the TCP state, numbered as Linux does: 1 {@code ESTABLISHED} (see {@link #stateName()})
 * @param caState the congestion-avoidance state: 0 open, 1 disorder, 2 CWR, 3 recovery, 4 loss
 * @param retransmits retransmissions of the current unacknowledged segment
 * @param probes unanswered zero-window or keep-alive probes
 * @param backoff the retransmission timer's exponential backoff
 * @param options the negotiated options: {@link #TCPI_OPT_TIMESTAMPS}, {@link #TCPI_OPT_SACK}, ...
 * @param sndWscale the scale of the windows the peer advertises
 * @param rcvWscale the scale of the windows this end advertises
 * @param deliveryRateAppLimited true if the last delivery-rate sample was limited by the application
 * @param fastopenClientFail why a client's TCP Fast Open fell back (0: it did not, or was not tried)
 * @param rto the retransmission timeout
 * @param ato the delayed-acknowledgement timeout
 * @param sndMss the sending maximum segment size
 * @param rcvMss the receiving maximum segment size as estimated
 * @param unacked segments sent and not yet acknowledged
 * @param sacked segments selectively acknowledged
 * @param lost segments thought lost
 * @param retrans segments retransmitted and not yet acknowledged
 * @param lastDataSentMillis milliseconds since data was last sent
 * @param lastDataReceivedMillis milliseconds since data was last received
 * @param lastAckReceivedMillis milliseconds since an acknowledgement was last received
 * @param pmtu the path MTU
 * @param rcvSsthresh the receive slow-start threshold
 * @param rtt the smoothed round-trip time
 * @param rttvar the round-trip time's variation
 * @param sndSsthresh the send slow-start threshold, in segments
 * @param sndCwnd the congestion window, in segments
 * @param advmss the advertised maximum segment size
 * @param reordering the reordering metric, in segments
 * @param rcvRtt the receiver's round-trip time estimate
 * @param rcvSpace the receive-buffer space being autotuned to
 * @param totalRetrans retransmitted segments over the connection's life
 * @param pacingRate the pacing rate
 * @param maxPacingRate the pacing rate's cap ({@code SO_MAX_PACING_RATE}; all ones: none)
 * @param bytesAcked bytes sent and acknowledged (RFC 4898 {@code ThruOctetsAcked})
 * @param bytesReceived bytes received (RFC 4898 {@code ThruOctetsReceived})
 * @param segsOut segments sent
 * @param segsIn segments received
 * @param notsentBytes bytes queued and not yet sent
 * @param minRtt the minimum round-trip time seen
 * @param dataSegsIn segments received carrying data
 * @param dataSegsOut segments sent carrying data
 * @param deliveryRate the most recent delivery rate
 * @param busyTime time spent with data in flight
 * @param rwndLimited time limited by the peer's receive window
 * @param sndbufLimited time limited by the send buffer
 * @param delivered segments delivered (acknowledged, selectively or not)
 * @param deliveredCe of those, segments acknowledged with an ECN congestion mark
 * @param bytesSent bytes sent, retransmissions included
 * @param bytesRetrans bytes retransmitted
 * @param dsackDups segments the peer reported received twice (D-SACK)
 * @param reordSeen reordering events seen
 * @param rcvOoopack packets received out of order
 * @param sndWnd the peer's advertised receive window after scaling
 *
 * <p>Of {@code struct tcp_info}, only {@code tcpi_fackets} and {@code tcpi_last_ack_sent} are
 * left out: current kernels always report them as 0.
 */
public record TcpInfo(int state, int caState, int retransmits, int probes, int backoff, int options,
                      int sndWscale, int rcvWscale, boolean deliveryRateAppLimited, int fastopenClientFail,
                      long rto, long ato, long sndMss, long rcvMss, long unacked, long sacked, long lost, long retrans,
                      long lastDataSentMillis, long lastDataReceivedMillis, long lastAckReceivedMillis,
                      long pmtu, long rcvSsthresh, long rtt, long rttvar, long sndSsthresh, long sndCwnd,
                      long advmss, long reordering, long rcvRtt, long rcvSpace, long totalRetrans,
                      long pacingRate, long maxPacingRate, long bytesAcked, long bytesReceived, long segsOut, long segsIn,
                      long notsentBytes, long minRtt, long dataSegsIn, long dataSegsOut, long deliveryRate,
                      long busyTime, long rwndLimited, long sndbufLimited, long delivered, long deliveredCe,
                      long bytesSent, long bytesRetrans, long dsackDups, long reordSeen, long rcvOoopack,
                      long sndWnd) {
    /** {@link #options()} bit: timestamps were negotiated. */
    public static final int TCPI_OPT_TIMESTAMPS = 1;
    /** {@link #options()} bit: selective acknowledgements were negotiated. */
    public static final int TCPI_OPT_SACK = 2;
    /** {@link #options()} bit: window scaling was negotiated. */
    public static final int TCPI_OPT_WSCALE = 4;
    /** {@link #options()} bit: ECN was negotiated. */
    public static final int TCPI_OPT_ECN = 8;
    /** {@link #options()} bit: an ECN-capable packet was received. */
    public static final int TCPI_OPT_ECN_SEEN = 16;
    /** {@link #options()} bit: the data sent with the SYN was acknowledged (TCP Fast Open worked). */
    public static final int TCPI_OPT_SYN_DATA = 32;

    /** {@link #state()} of an established connection. */
    public static final int ESTABLISHED = 1;

    /** Linux's TCP states by number, from 1. */
    private static final String[] STATE_NAMES = {"ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1",
        "FIN_WAIT2", "TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING"};

    /** The state's name, e.g. {@code "ESTABLISHED"} or {@code "CLOSE_WAIT"}. */
    public String stateName() {
        return state >= 1 && state <= STATE_NAMES.length ? STATE_NAMES[state - 1] : "state " + state;
    }

    /** True if {@link #options()} has every bit of {@code option}, e.g. {@link #TCPI_OPT_SYN_DATA}. */
    public boolean hasOption(int option) {
        return (options & option) == option;
    }
}
