/*
 * The socket options of SockOpt and the TCP states of TcpInfoStruct, from the glibc
 * headers, in the format of conformance.c (see there). Kept apart from conformance.c
 * only to keep the option work of issue 14 in files of its own; the tcp_info layout
 * needs <linux/tcp.h>, which clashes with <netinet/tcp.h>, and is in conformance_tcp_info.c.
 */
#define _GNU_SOURCE
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/socket.h>

#define CONST(name) printf("const %s %lld\n", #name, (long long) (name))
#define TYPE(tag, type) \
    printf("size %s %zu\nalign %s %zu\n", tag, sizeof(type), tag, _Alignof(type))
#define FIELD(tag, type, field) \
    printf("offset %s.%s %zu\nfsize %s.%s %zu\n", tag, #field, offsetof(type, field), \
           tag, #field, sizeof(((type *) 0)->field))

static void levels_and_socket_level(void) {
    CONST(SOL_IP); CONST(SOL_TCP); CONST(SOL_IPV6);
    CONST(SO_DOMAIN); CONST(SO_BUSY_POLL);
}

static void tcp_level(void) {
    CONST(TCP_MAXSEG); CONST(TCP_CORK); CONST(TCP_DEFER_ACCEPT); CONST(TCP_INFO);
    CONST(TCP_MD5SIG); CONST(TCP_USER_TIMEOUT); CONST(TCP_FASTOPEN); CONST(TCP_NOTSENT_LOWAT);
    CONST(TCP_FASTOPEN_CONNECT); CONST(TCP_MD5SIG_MAXKEYLEN);

    TYPE("tcp_md5sig", struct tcp_md5sig);
    FIELD("tcp_md5sig", struct tcp_md5sig, tcpm_addr);
    FIELD("tcp_md5sig", struct tcp_md5sig, tcpm_addr.ss_family);
    FIELD("tcp_md5sig", struct tcp_md5sig, tcpm_addr.__ss_padding);
    FIELD("tcp_md5sig", struct tcp_md5sig, tcpm_addr.__ss_align);
    FIELD("tcp_md5sig", struct tcp_md5sig, tcpm_flags);
    FIELD("tcp_md5sig", struct tcp_md5sig, tcpm_prefixlen);
    FIELD("tcp_md5sig", struct tcp_md5sig, tcpm_keylen);
    FIELD("tcp_md5sig", struct tcp_md5sig, __tcpm_pad);
    FIELD("tcp_md5sig", struct tcp_md5sig, tcpm_key);

    /* The values of tcp_info's tcpi_state. */
    CONST(TCP_ESTABLISHED); CONST(TCP_SYN_SENT); CONST(TCP_SYN_RECV); CONST(TCP_FIN_WAIT1);
    CONST(TCP_FIN_WAIT2); CONST(TCP_TIME_WAIT); CONST(TCP_CLOSE); CONST(TCP_CLOSE_WAIT);
    CONST(TCP_LAST_ACK); CONST(TCP_LISTEN); CONST(TCP_CLOSING);
}

static void ip_levels(void) {
    CONST(IP_TOS); CONST(IP_FREEBIND); CONST(IP_TRANSPARENT); CONST(IP_RECVORIGDSTADDR);
    CONST(IP_BIND_ADDRESS_NO_PORT);
    CONST(IPV6_TCLASS); CONST(IPV6_RECVORIGDSTADDR); CONST(IPV6_TRANSPARENT); CONST(IPV6_FREEBIND);
}

int main(void) {
    levels_and_socket_level();
    tcp_level();
    ip_levels();
    return ferror(stdout) ? 1 : 0;
}
