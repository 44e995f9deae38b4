/*
 * Prints the values the Java bindings hard-code, taken from the real system headers,
 * one per line, for HeaderConformanceTest:
 *
 *   const NAME VALUE          a macro or enum constant, as a signed 64-bit number
 *   size TYPE N / align TYPE N
 *   offset TYPE.FIELD N / fsize TYPE.FIELD N    (FIELD may be nested: a.b)
 *
 * Every Java constant and layout needs a line here (or in another probe of
 * HeaderConformanceTest.PROBES), and every line a Java counterpart: add both sides together.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#define CONST(name) printf("const %s %lld\n", #name, (long long) (name))
#define TYPE(tag, type) \
    printf("size %s %zu\nalign %s %zu\n", tag, sizeof(type), tag, _Alignof(type))
#define FIELD(tag, type, field) \
    printf("offset %s.%s %zu\nfsize %s.%s %zu\n", tag, #field, offsetof(type, field), \
           tag, #field, sizeof(((type *) 0)->field))

static void sockets(void) {
    CONST(AF_UNSPEC); CONST(AF_UNIX); CONST(AF_INET); CONST(AF_INET6);
    CONST(SOCK_STREAM); CONST(SOCK_DGRAM); CONST(SOCK_NONBLOCK); CONST(SOCK_CLOEXEC);
    CONST(SOL_SOCKET); CONST(SO_REUSEADDR); CONST(SO_TYPE); CONST(SO_ERROR);
    CONST(SO_SNDBUF); CONST(SO_RCVBUF); CONST(SO_KEEPALIVE); CONST(SO_LINGER);
    CONST(SO_REUSEPORT); CONST(SO_RCVLOWAT); CONST(SO_SNDLOWAT);
    CONST(IPPROTO_IP); CONST(IPPROTO_TCP); CONST(IPPROTO_IPV6); CONST(IPV6_V6ONLY);
    CONST(TCP_NODELAY); CONST(TCP_KEEPIDLE); CONST(TCP_KEEPINTVL); CONST(TCP_KEEPCNT);
    CONST(TCP_QUICKACK);
    CONST(SHUT_RD); CONST(SHUT_WR); CONST(SHUT_RDWR);
    /* The header value: 4096 since glibc 2.35 (128 before). The kernel clamps any
     * listen() backlog to /proc/sys/net/core/somaxconn, which may differ. */
    CONST(SOMAXCONN);
    CONST(MSG_NOSIGNAL); CONST(MSG_WAITALL);

    TYPE("linger", struct linger);
    FIELD("linger", struct linger, l_onoff);
    FIELD("linger", struct linger, l_linger);
    TYPE("socklen_t", socklen_t);
}

static void sockaddrs(void) {
    TYPE("sockaddr_in", struct sockaddr_in);
    FIELD("sockaddr_in", struct sockaddr_in, sin_family);
    FIELD("sockaddr_in", struct sockaddr_in, sin_port);
    FIELD("sockaddr_in", struct sockaddr_in, sin_addr);
    FIELD("sockaddr_in", struct sockaddr_in, sin_zero);

    TYPE("sockaddr_in6", struct sockaddr_in6);
    FIELD("sockaddr_in6", struct sockaddr_in6, sin6_family);
    FIELD("sockaddr_in6", struct sockaddr_in6, sin6_port);
    FIELD("sockaddr_in6", struct sockaddr_in6, sin6_flowinfo);
    FIELD("sockaddr_in6", struct sockaddr_in6, sin6_addr);
    FIELD("sockaddr_in6", struct sockaddr_in6, sin6_scope_id);

    TYPE("sockaddr_storage", struct sockaddr_storage);
    FIELD("sockaddr_storage", struct sockaddr_storage, ss_family);
    FIELD("sockaddr_storage", struct sockaddr_storage, __ss_padding);
    FIELD("sockaddr_storage", struct sockaddr_storage, __ss_align);
}

static void epoll(void) {
    CONST(EPOLLIN); CONST(EPOLLPRI); CONST(EPOLLOUT); CONST(EPOLLERR); CONST(EPOLLHUP);
    CONST(EPOLLRDHUP); CONST(EPOLLEXCLUSIVE); CONST(EPOLLONESHOT); CONST(EPOLLET);
    CONST(EPOLL_CTL_ADD); CONST(EPOLL_CTL_DEL); CONST(EPOLL_CTL_MOD); CONST(EPOLL_CLOEXEC);

    /* Packed on x86_64 (12 bytes, alignment 1), naturally aligned elsewhere. */
    TYPE("epoll_event", struct epoll_event);
    FIELD("epoll_event", struct epoll_event, events);
    FIELD("epoll_event", struct epoll_event, data);   /* the epoll_data_t union */
}

static void eventfd_timerfd(void) {
    CONST(EFD_SEMAPHORE); CONST(EFD_NONBLOCK); CONST(EFD_CLOEXEC);

    CONST(CLOCK_REALTIME); CONST(CLOCK_MONOTONIC);
    CONST(TFD_TIMER_ABSTIME); CONST(TFD_NONBLOCK); CONST(TFD_CLOEXEC);

    TYPE("timespec", struct timespec);
    FIELD("timespec", struct timespec, tv_sec);
    FIELD("timespec", struct timespec, tv_nsec);

    TYPE("itimerspec", struct itimerspec);
    FIELD("itimerspec", struct itimerspec, it_interval);
    FIELD("itimerspec", struct itimerspec, it_interval.tv_sec);
    FIELD("itimerspec", struct itimerspec, it_interval.tv_nsec);
    FIELD("itimerspec", struct itimerspec, it_value);
    FIELD("itimerspec", struct itimerspec, it_value.tv_sec);
    FIELD("itimerspec", struct itimerspec, it_value.tv_nsec);
}

static void file_io(void) {
    CONST(F_GETFD); CONST(F_SETFD); CONST(F_GETFL); CONST(F_SETFL);
    CONST(F_SETPIPE_SZ); CONST(F_GETPIPE_SZ);
    CONST(FD_CLOEXEC); CONST(O_NONBLOCK); CONST(O_CLOEXEC);
#ifdef IOV_MAX
    CONST(IOV_MAX);                                   /* <limits.h> */
#else
    printf("const IOV_MAX %lld\n", (long long) UIO_MAXIOV);   /* <sys/uio.h> */
#endif

    TYPE("iovec", struct iovec);
    FIELD("iovec", struct iovec, iov_base);
    FIELD("iovec", struct iovec, iov_len);

    CONST(SPLICE_F_MOVE); CONST(SPLICE_F_NONBLOCK); CONST(SPLICE_F_MORE);
    CONST(O_RDONLY); CONST(SEEK_SET); CONST(SEEK_END);   /* RegularFiles: open, lseek, sendfile */

    CONST(RLIMIT_NOFILE);
    CONST(RLIM_INFINITY);                             /* rlim_t, all ones: -1 */
    TYPE("rlimit", struct rlimit);
    FIELD("rlimit", struct rlimit, rlim_cur);
    FIELD("rlimit", struct rlimit, rlim_max);
}

static void errnos(void) {
    CONST(EPERM); CONST(ENOENT); CONST(EINTR); CONST(EIO); CONST(EBADF); CONST(EAGAIN);
    CONST(EWOULDBLOCK); CONST(ENOMEM); CONST(EACCES); CONST(EFAULT); CONST(EEXIST); CONST(EBUSY); CONST(ETIME); CONST(ECANCELED);
    CONST(EINVAL); CONST(ENFILE); CONST(EMFILE); CONST(ENOSPC); CONST(ENOSYS); CONST(EPIPE);
    CONST(ENOTSOCK); CONST(EDESTADDRREQ); CONST(EMSGSIZE); CONST(ENOPROTOOPT);
    CONST(EPROTONOSUPPORT); CONST(EOPNOTSUPP); CONST(EAFNOSUPPORT); CONST(EADDRINUSE);
    CONST(EADDRNOTAVAIL); CONST(ENETDOWN); CONST(ENETUNREACH); CONST(ECONNABORTED);
    CONST(ECONNRESET); CONST(ENOBUFS); CONST(EISCONN); CONST(ENOTCONN); CONST(ESHUTDOWN);
    CONST(ETIMEDOUT); CONST(ECONNREFUSED); CONST(EHOSTDOWN); CONST(EHOSTUNREACH);
    CONST(EALREADY); CONST(EINPROGRESS);
}

int main(void) {
    sockets();
    sockaddrs();
    epoll();
    eventfd_timerfd();
    file_io();
    errnos();
    return ferror(stdout) ? 1 : 0;
}

/* ---- UDP (issue 12): Datagrams, MsgHdr, Multicast ----------------------------------
 * Printed from a constructor, before main() runs, so that this section stays apart from
 * the rest of the file (the order of the lines does not matter to the test). */
#include <netinet/udp.h>

__attribute__((constructor)) static void udp(void) {
    CONST(IPPROTO_UDP); CONST(SOL_UDP); CONST(UDP_SEGMENT); CONST(UDP_GRO);
    CONST(SO_BROADCAST); CONST(SO_NO_CHECK);   /* IP_TOS, IPV6_TCLASS: SockOpt's, in conformance_options.c */
    CONST(UIO_MAXIOV);
    CONST(MSG_TRUNC); CONST(MSG_CTRUNC); CONST(MSG_DONTWAIT); CONST(MSG_WAITFORONE);

    TYPE("msghdr", struct msghdr);
    FIELD("msghdr", struct msghdr, msg_name);
    FIELD("msghdr", struct msghdr, msg_namelen);
    FIELD("msghdr", struct msghdr, msg_iov);
    FIELD("msghdr", struct msghdr, msg_iovlen);
    FIELD("msghdr", struct msghdr, msg_control);
    FIELD("msghdr", struct msghdr, msg_controllen);
    FIELD("msghdr", struct msghdr, msg_flags);

    TYPE("mmsghdr", struct mmsghdr);
    FIELD("mmsghdr", struct mmsghdr, msg_hdr);
    FIELD("mmsghdr", struct mmsghdr, msg_hdr.msg_name);
    FIELD("mmsghdr", struct mmsghdr, msg_hdr.msg_namelen);
    FIELD("mmsghdr", struct mmsghdr, msg_hdr.msg_iov);
    FIELD("mmsghdr", struct mmsghdr, msg_hdr.msg_iovlen);
    FIELD("mmsghdr", struct mmsghdr, msg_hdr.msg_control);
    FIELD("mmsghdr", struct mmsghdr, msg_hdr.msg_controllen);
    FIELD("mmsghdr", struct mmsghdr, msg_hdr.msg_flags);
    FIELD("mmsghdr", struct mmsghdr, msg_len);

    TYPE("cmsghdr", struct cmsghdr);
    FIELD("cmsghdr", struct cmsghdr, cmsg_len);
    FIELD("cmsghdr", struct cmsghdr, cmsg_level);
    FIELD("cmsghdr", struct cmsghdr, cmsg_type);

    CONST(IP_MULTICAST_IF); CONST(IP_MULTICAST_TTL); CONST(IP_MULTICAST_LOOP);
    CONST(IP_ADD_MEMBERSHIP); CONST(IP_DROP_MEMBERSHIP);
    CONST(IPV6_MULTICAST_IF); CONST(IPV6_MULTICAST_HOPS); CONST(IPV6_MULTICAST_LOOP);
    CONST(IPV6_JOIN_GROUP); CONST(IPV6_LEAVE_GROUP);
    CONST(MCAST_JOIN_SOURCE_GROUP); CONST(MCAST_LEAVE_SOURCE_GROUP);

    TYPE("ip_mreqn", struct ip_mreqn);
    FIELD("ip_mreqn", struct ip_mreqn, imr_multiaddr);
    FIELD("ip_mreqn", struct ip_mreqn, imr_address);
    FIELD("ip_mreqn", struct ip_mreqn, imr_ifindex);

    TYPE("ipv6_mreq", struct ipv6_mreq);
    FIELD("ipv6_mreq", struct ipv6_mreq, ipv6mr_multiaddr);
    FIELD("ipv6_mreq", struct ipv6_mreq, ipv6mr_interface);

    TYPE("group_source_req", struct group_source_req);
    FIELD("group_source_req", struct group_source_req, gsr_interface);
    FIELD("group_source_req", struct group_source_req, gsr_group);
    FIELD("group_source_req", struct group_source_req, gsr_group.ss_family);
    FIELD("group_source_req", struct group_source_req, gsr_group.__ss_padding);
    FIELD("group_source_req", struct group_source_req, gsr_group.__ss_align);
    FIELD("group_source_req", struct group_source_req, gsr_source);
    FIELD("group_source_req", struct group_source_req, gsr_source.ss_family);
    FIELD("group_source_req", struct group_source_req, gsr_source.__ss_padding);
    FIELD("group_source_req", struct group_source_req, gsr_source.__ss_align);
}

/* ---- Syscalls: the hot I/O calls by number (this architecture's table) ------------- */
#include <sys/syscall.h>

__attribute__((constructor)) static void syscall_numbers(void) {
    printf("const NR_READ %lld\n", (long long) SYS_read);
    printf("const NR_WRITE %lld\n", (long long) SYS_write);
    printf("const NR_READV %lld\n", (long long) SYS_readv);
    printf("const NR_WRITEV %lld\n", (long long) SYS_writev);
    printf("const NR_SENDTO %lld\n", (long long) SYS_sendto);
#ifdef SYS_epoll_pwait2
    printf("const NR_EPOLL_PWAIT2 %lld\n", (long long) SYS_epoll_pwait2);
#else
    printf("unchecked const NR_EPOLL_PWAIT2 0\n");   /* headers before Linux 5.11 */
#endif
}
