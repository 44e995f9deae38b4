package io.panamanetty.transport.socket;

import io.panamanetty.bindings.NativeIoException;
import io.panamanetty.bindings.TcpInfoStruct;
import io.panamanetty.channel.TcpInfo;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** Reads a socket's {@code struct tcp_info} into a {@link TcpInfo}; on the channel's loop. */
public final class TcpInfoReader {
    private TcpInfoReader() {
    }

    /**
     * The {@code tcp_info} of the TCP socket {@code fd}.
     *
     * @throws NativeIoException if {@code getsockopt} fails
     */
    public static TcpInfo read(int fd) throws NativeIoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(TcpInfoStruct.LAYOUT);
            TcpInfoStruct.read(fd, s);
            return new TcpInfo((int) u(s, "state"), (int) u(s, "ca_state"), (int) u(s, "retransmits"),
                    (int) u(s, "probes"), (int) u(s, "backoff"), (int) u(s, "options"),
                    TcpInfoStruct.sndWscale(s), TcpInfoStruct.rcvWscale(s), TcpInfoStruct.deliveryRateAppLimited(s),
                    TcpInfoStruct.fastopenClientFail(s),
                    u(s, "rto"), u(s, "ato"), u(s, "snd_mss"), u(s, "rcv_mss"), u(s, "unacked"), u(s, "sacked"),
                    u(s, "lost"), u(s, "retrans"), u(s, "last_data_sent"), u(s, "last_data_recv"),
                    u(s, "last_ack_recv"), u(s, "pmtu"), u(s, "rcv_ssthresh"), u(s, "rtt"), u(s, "rttvar"),
                    u(s, "snd_ssthresh"), u(s, "snd_cwnd"), u(s, "advmss"), u(s, "reordering"), u(s, "rcv_rtt"),
                    u(s, "rcv_space"), u(s, "total_retrans"), u(s, "pacing_rate"), u(s, "max_pacing_rate"), u(s, "bytes_acked"),
                    u(s, "bytes_received"), u(s, "segs_out"), u(s, "segs_in"), u(s, "notsent_bytes"),
                    u(s, "min_rtt"), u(s, "data_segs_in"), u(s, "data_segs_out"), u(s, "delivery_rate"),
                    u(s, "busy_time"), u(s, "rwnd_limited"), u(s, "sndbuf_limited"), u(s, "delivered"),
                    u(s, "delivered_ce"), u(s, "bytes_sent"), u(s, "bytes_retrans"), u(s, "dsack_dups"),
                    u(s, "reord_seen"), u(s, "rcv_ooopack"), u(s, "snd_wnd"));
        }
    }

    private static long u(MemorySegment info, String field) {
        return TcpInfoStruct.get(info, "tcpi_" + field);
    }
}
