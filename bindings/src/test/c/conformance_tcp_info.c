/*
 * struct tcp_info and its option bits, from <linux/tcp.h> (glibc's <netinet/tcp.h> has
 * an older, shorter tcp_info and clashes with the kernel header), in the format of
 * conformance.c (see there). The bit-fields after tcpi_options have no offset in C and
 * are padding in TcpInfoStruct.LAYOUT.
 */
#include <linux/tcp.h>
#include <stddef.h>
#include <stdio.h>

#define CONST(name) printf("const %s %lld\n", #name, (long long) (name))
#define TYPE(tag, type) \
    printf("size %s %zu\nalign %s %zu\n", tag, sizeof(type), tag, _Alignof(type))
#define FIELD(tag, type, field) \
    printf("offset %s.%s %zu\nfsize %s.%s %zu\n", tag, #field, offsetof(type, field), \
           tag, #field, sizeof(((type *) 0)->field))

int main(void) {
    CONST(TCPI_OPT_TIMESTAMPS); CONST(TCPI_OPT_SACK); CONST(TCPI_OPT_WSCALE);
    CONST(TCPI_OPT_ECN); CONST(TCPI_OPT_ECN_SEEN); CONST(TCPI_OPT_SYN_DATA);

    TYPE("tcp_info", struct tcp_info);
    FIELD("tcp_info", struct tcp_info, tcpi_state);
    FIELD("tcp_info", struct tcp_info, tcpi_ca_state);
    FIELD("tcp_info", struct tcp_info, tcpi_retransmits);
    FIELD("tcp_info", struct tcp_info, tcpi_probes);
    FIELD("tcp_info", struct tcp_info, tcpi_backoff);
    FIELD("tcp_info", struct tcp_info, tcpi_options);
    FIELD("tcp_info", struct tcp_info, tcpi_rto);
    FIELD("tcp_info", struct tcp_info, tcpi_ato);
    FIELD("tcp_info", struct tcp_info, tcpi_snd_mss);
    FIELD("tcp_info", struct tcp_info, tcpi_rcv_mss);
    FIELD("tcp_info", struct tcp_info, tcpi_unacked);
    FIELD("tcp_info", struct tcp_info, tcpi_sacked);
    FIELD("tcp_info", struct tcp_info, tcpi_lost);
    FIELD("tcp_info", struct tcp_info, tcpi_retrans);
    FIELD("tcp_info", struct tcp_info, tcpi_fackets);
    FIELD("tcp_info", struct tcp_info, tcpi_last_data_sent);
    FIELD("tcp_info", struct tcp_info, tcpi_last_ack_sent);
    FIELD("tcp_info", struct tcp_info, tcpi_last_data_recv);
    FIELD("tcp_info", struct tcp_info, tcpi_last_ack_recv);
    FIELD("tcp_info", struct tcp_info, tcpi_pmtu);
    FIELD("tcp_info", struct tcp_info, tcpi_rcv_ssthresh);
    FIELD("tcp_info", struct tcp_info, tcpi_rtt);
    FIELD("tcp_info", struct tcp_info, tcpi_rttvar);
    FIELD("tcp_info", struct tcp_info, tcpi_snd_ssthresh);
    FIELD("tcp_info", struct tcp_info, tcpi_snd_cwnd);
    FIELD("tcp_info", struct tcp_info, tcpi_advmss);
    FIELD("tcp_info", struct tcp_info, tcpi_reordering);
    FIELD("tcp_info", struct tcp_info, tcpi_rcv_rtt);
    FIELD("tcp_info", struct tcp_info, tcpi_rcv_space);
    FIELD("tcp_info", struct tcp_info, tcpi_total_retrans);
    FIELD("tcp_info", struct tcp_info, tcpi_pacing_rate);
    FIELD("tcp_info", struct tcp_info, tcpi_max_pacing_rate);
    FIELD("tcp_info", struct tcp_info, tcpi_bytes_acked);
    FIELD("tcp_info", struct tcp_info, tcpi_bytes_received);
    FIELD("tcp_info", struct tcp_info, tcpi_segs_out);
    FIELD("tcp_info", struct tcp_info, tcpi_segs_in);
    FIELD("tcp_info", struct tcp_info, tcpi_notsent_bytes);
    FIELD("tcp_info", struct tcp_info, tcpi_min_rtt);
    FIELD("tcp_info", struct tcp_info, tcpi_data_segs_in);
    FIELD("tcp_info", struct tcp_info, tcpi_data_segs_out);
    FIELD("tcp_info", struct tcp_info, tcpi_delivery_rate);
    FIELD("tcp_info", struct tcp_info, tcpi_busy_time);
    FIELD("tcp_info", struct tcp_info, tcpi_rwnd_limited);
    FIELD("tcp_info", struct tcp_info, tcpi_sndbuf_limited);
    FIELD("tcp_info", struct tcp_info, tcpi_delivered);
    FIELD("tcp_info", struct tcp_info, tcpi_delivered_ce);
    FIELD("tcp_info", struct tcp_info, tcpi_bytes_sent);
    FIELD("tcp_info", struct tcp_info, tcpi_bytes_retrans);
    FIELD("tcp_info", struct tcp_info, tcpi_dsack_dups);
    FIELD("tcp_info", struct tcp_info, tcpi_reord_seen);
    FIELD("tcp_info", struct tcp_info, tcpi_rcv_ooopack);
    FIELD("tcp_info", struct tcp_info, tcpi_snd_wnd);
    return ferror(stdout) ? 1 : 0;
}
