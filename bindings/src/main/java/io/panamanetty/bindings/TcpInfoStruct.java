package io.panamanetty.bindings;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

/**
 * {@code struct tcp_info} of {@code <linux/tcp.h>}, read with
 * {@code getsockopt(fd, SOL_TCP, TCP_INFO, ...)}: a TCP connection's state, timers,
 * congestion window and counters, as the kernel keeps them.
 *
 * <pre>{@code
 * struct tcp_info { __u8 tcpi_state; __u8 tcpi_ca_state; __u8 tcpi_retransmits; __u8 tcpi_probes;
 *                   __u8 tcpi_backoff; __u8 tcpi_options; __u8 tcpi_snd_wscale:4, tcpi_rcv_wscale:4;
 *                   __u8 tcpi_delivery_rate_app_limited:1, tcpi_fastopen_client_fail:2;
 *                   __u32 tcpi_rto; ... __u32 tcpi_total_retrans; __u64 tcpi_pacing_rate; ...
 *                   __u64 tcpi_delivery_rate; ... __u32 tcpi_snd_wnd; };
 * }</pre>
 * Times are in microseconds ({@code tcpi_last_*} in milliseconds), rates in bytes per second.
 * An older kernel fills in a shorter prefix; {@link #read} zeroes what it did not fill.
 */
public final class TcpInfoStruct {
    private static final ValueLayout U8 = ValueLayout.JAVA_BYTE;
    private static final ValueLayout U32 = ValueLayout.JAVA_INT;
    private static final ValueLayout U64 = ValueLayout.JAVA_LONG;

    /** {@code tcpi_options} bit: timestamps were negotiated. */
    public static final int TCPI_OPT_TIMESTAMPS = 1;
    /** {@code tcpi_options} bit: selective acknowledgements were negotiated. */
    public static final int TCPI_OPT_SACK = 2;
    /** {@code tcpi_options} bit: window scaling was negotiated. */
    public static final int TCPI_OPT_WSCALE = 4;
    /** {@code tcpi_options} bit: ECN was negotiated. */
    public static final int TCPI_OPT_ECN = 8;
    /** {@code tcpi_options} bit: a packet marked ECN-capable was received. */
    public static final int TCPI_OPT_ECN_SEEN = 16;
    /** {@code tcpi_options} bit: the SYN's data was acknowledged (TCP Fast Open worked). */
    public static final int TCPI_OPT_SYN_DATA = 32;

    /** {@code tcpi_state} values: the TCP states of {@code <netinet/tcp.h>}. */
    public static final int TCP_ESTABLISHED = 1;
    public static final int TCP_SYN_SENT = 2;
    public static final int TCP_SYN_RECV = 3;
    public static final int TCP_FIN_WAIT1 = 4;
    public static final int TCP_FIN_WAIT2 = 5;
    public static final int TCP_TIME_WAIT = 6;
    public static final int TCP_CLOSE = 7;
    public static final int TCP_CLOSE_WAIT = 8;
    public static final int TCP_LAST_ACK = 9;
    public static final int TCP_LISTEN = 10;
    public static final int TCP_CLOSING = 11;

    /** {@code struct tcp_info} as {@code <linux/tcp.h>} declares it here (232 bytes). */
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            U8.withName("tcpi_state"),
            U8.withName("tcpi_ca_state"),
            U8.withName("tcpi_retransmits"),
            U8.withName("tcpi_probes"),
            U8.withName("tcpi_backoff"),
            U8.withName("tcpi_options"),
            MemoryLayout.paddingLayout(2),   // two bytes of bit-fields: wscale, app_limited, fastopen_client_fail
            U32.withName("tcpi_rto"),
            U32.withName("tcpi_ato"),
            U32.withName("tcpi_snd_mss"),
            U32.withName("tcpi_rcv_mss"),
            U32.withName("tcpi_unacked"),
            U32.withName("tcpi_sacked"),
            U32.withName("tcpi_lost"),
            U32.withName("tcpi_retrans"),
            U32.withName("tcpi_fackets"),
            U32.withName("tcpi_last_data_sent"),
            U32.withName("tcpi_last_ack_sent"),
            U32.withName("tcpi_last_data_recv"),
            U32.withName("tcpi_last_ack_recv"),
            U32.withName("tcpi_pmtu"),
            U32.withName("tcpi_rcv_ssthresh"),
            U32.withName("tcpi_rtt"),
            U32.withName("tcpi_rttvar"),
            U32.withName("tcpi_snd_ssthresh"),
            U32.withName("tcpi_snd_cwnd"),
            U32.withName("tcpi_advmss"),
            U32.withName("tcpi_reordering"),
            U32.withName("tcpi_rcv_rtt"),
            U32.withName("tcpi_rcv_space"),
            U32.withName("tcpi_total_retrans"),
            U64.withName("tcpi_pacing_rate"),
            U64.withName("tcpi_max_pacing_rate"),
            U64.withName("tcpi_bytes_acked"),
            U64.withName("tcpi_bytes_received"),
            U32.withName("tcpi_segs_out"),
            U32.withName("tcpi_segs_in"),
            U32.withName("tcpi_notsent_bytes"),
            U32.withName("tcpi_min_rtt"),
            U32.withName("tcpi_data_segs_in"),
            U32.withName("tcpi_data_segs_out"),
            U64.withName("tcpi_delivery_rate"),
            U64.withName("tcpi_busy_time"),
            U64.withName("tcpi_rwnd_limited"),
            U64.withName("tcpi_sndbuf_limited"),
            U32.withName("tcpi_delivered"),
            U32.withName("tcpi_delivered_ce"),
            U64.withName("tcpi_bytes_sent"),
            U64.withName("tcpi_bytes_retrans"),
            U32.withName("tcpi_dsack_dups"),
            U32.withName("tcpi_reord_seen"),
            U32.withName("tcpi_rcv_ooopack"),
            U32.withName("tcpi_snd_wnd"))
            .withName("tcp_info");

    /**
     * The two bytes of bit-fields after {@code tcpi_options}: the window scales (send in the
     * low nibble, receive in the high one), then {@code tcpi_delivery_rate_app_limited} (bit 0)
     * and {@code tcpi_fastopen_client_fail} (bits 1-2), as GCC lays bit-fields out from the
     * low bit on a little-endian machine.
     */
    private static final long BITFIELDS_OFFSET = LAYOUT.byteOffset(groupElement("tcpi_options")) + 1;

    private TcpInfoStruct() {
    }

    /** {@code tcpi_snd_wscale}: the scale of the windows the peer advertises (received in its SYN). */
    public static int sndWscale(MemorySegment info) {
        return info.get(ValueLayout.JAVA_BYTE, BITFIELDS_OFFSET) & 0x0f;
    }

    /** {@code tcpi_rcv_wscale}: the scale of the windows this end advertises. */
    public static int rcvWscale(MemorySegment info) {
        return (info.get(ValueLayout.JAVA_BYTE, BITFIELDS_OFFSET) >> 4) & 0x0f;
    }

    /** {@code tcpi_delivery_rate_app_limited}: the last delivery-rate sample was limited by the application. */
    public static boolean deliveryRateAppLimited(MemorySegment info) {
        return (info.get(ValueLayout.JAVA_BYTE, BITFIELDS_OFFSET + 1) & 1) != 0;
    }

    /** {@code tcpi_fastopen_client_fail}: why a client's Fast Open fell back (0: it did not, or was not tried). */
    public static int fastopenClientFail(MemorySegment info) {
        return (info.get(ValueLayout.JAVA_BYTE, BITFIELDS_OFFSET + 1) >> 1) & 0x03;
    }

    /**
     * Reads the {@code tcp_info} of the TCP socket {@code fd} into {@code info} (at least
     * {@link #LAYOUT}'s size), zeroing the part the kernel did not fill.
     *
     * @return the number of bytes the kernel filled in
     */
    public static int read(int fd, MemorySegment info) throws NativeIoException {
        MemorySegment target = info.asSlice(0, LAYOUT.byteSize()).fill((byte) 0);
        MemorySegment length = Libc.scratch().asSlice(0, 4);
        length.set(Sockets.SOCKLEN_T, 0, (int) LAYOUT.byteSize());
        int result = Sockets.getsockopt(fd, SockOpt.SOL_TCP, SockOpt.TCP_INFO, target, length);
        if (result < 0) {
            throw Errno.exception(-result, "getsockopt", "TCP_INFO");
        }
        return length.get(Sockets.SOCKLEN_T, 0);
    }

    /**
     * The unsigned value of the member named {@code name} (e.g. {@code "tcpi_rtt"}) in
     * {@code info}, as filled by {@link #read}.
     *
     * @throws IllegalArgumentException if {@code struct tcp_info} has no such member
     */
    public static long get(MemorySegment info, String name) {
        MemoryLayout member = LAYOUT.select(groupElement(name));
        long offset = LAYOUT.byteOffset(groupElement(name));
        return switch ((int) member.byteSize()) {
            case 1 -> Byte.toUnsignedLong(info.get(ValueLayout.JAVA_BYTE, offset));
            case 4 -> Integer.toUnsignedLong(info.get(ValueLayout.JAVA_INT_UNALIGNED, offset));
            default -> info.get(ValueLayout.JAVA_LONG_UNALIGNED, offset);
        };
    }
}
