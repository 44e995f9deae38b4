/*
 * The UDP echo benchmark's load generator, in C and batching (sendmmsg/recvmmsg) so that
 * the client costs the shared CPU little and the server under test is what is measured.
 * One thread and one epoll instance drive CLIENTS connected UDP sockets. Loopback only.
 *
 *   udp_loadgen PORT PAYLOAD CLIENTS WINDOW MESSAGES TIME_LIMIT_MS RTT_FILE
 *
 * Each client first has one datagram echoed (so the server is known to answer every
 * client before the clock starts), then sends MESSAGES datagrams of PAYLOAD bytes with at
 * most WINDOW unanswered at a time. A datagram carries its client and sequence number in
 * its first 12 bytes and a pattern derived from both after them, so every echo is checked
 * whole: its size (the datagram boundary) and every byte. A datagram unanswered after
 * RETRANSMIT_MS is sent again and counted as lost; an echo of a datagram already answered
 * is accepted only if that datagram had been sent twice. With a window of 1 the round-trip
 * time of every datagram (from its first send) goes to RTT_FILE as 64-bit native-endian
 * nanoseconds ("-" for none). Every loop is bounded by TIME_LIMIT_MS (and the set-up phase
 * by SETUP_LIMIT_MS): the program never hangs on a lost datagram. Prints one line:
 *   messages=M bytes=B elapsed_ns=E timed_out=0|1 round_trips=R lost=L duplicates=D
 *   send_calls=S sent=T recv_calls=C received=V
 * Exit status: 0 done; 2 bad arguments; 3 a wrong echo (said on standard error);
 * 1 a failed system call.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define PERIOD 65521
#define MAX_PAYLOAD 65507
#define HEADER 12
#define BATCH 64
#define RETRANSMIT_MS 250
#define SETUP_LIMIT_MS 30000
#define SOCKET_BUFFER (1 << 20)

struct slot {
    uint64_t seq;
    long long first_sent;
    long long last_sent;
    int in_flight;
    int resent;
};

struct client {
    int fd;
    uint32_t id;
    uint64_t next_seq;      /* the next new sequence number to send */
    long long to_send;      /* new datagrams this phase may still start */
    long long answered;     /* datagrams of this phase echoed */
    long long in_flight;
    long long resends;      /* datagrams this client has sent more than once */
    struct slot *slots;     /* WINDOW of them, sequence number modulo WINDOW */
};

static unsigned char pattern[PERIOD + MAX_PAYLOAD];
static unsigned char send_buffers[BATCH][MAX_PAYLOAD];
static unsigned char recv_buffers[BATCH][MAX_PAYLOAD + 1];
static struct client *clients;
static int count, epfd, active;
static long long payload, window;
static long long *round_trips, round_trip_count;
static long long lost, duplicates, send_calls, sent_datagrams, recv_calls, received_datagrams;

static long long now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static void fail(const char *call) {
    int e = errno;
    fprintf(stderr, "udp_loadgen: %s failed: %s (errno %d)\n", call, strerror(e), e);
    exit(1);
}

static void wrong_echo(const char *format, long long a, long long b, long long c) {
    fprintf(stderr, "udp_loadgen: wrong echo: ");
    fprintf(stderr, format, a, b, c);
    fprintf(stderr, "\n");
    exit(3);
}

/* The xorshift64 stream of the TCP load generator: one period, then its start again. */
static void generate(void) {
    uint64_t state = 0x9E3779B97F4A7C15ULL;
    for (int i = 0; i < PERIOD; i++) {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        pattern[i] = (unsigned char) (state >> 24);
    }
    for (int i = PERIOD; i < PERIOD + MAX_PAYLOAD; i++) {
        pattern[i] = pattern[i - PERIOD];
    }
}

/* Where in the pattern the body of datagram `seq` of client `id` starts. */
static const unsigned char *body(uint32_t id, uint64_t seq) {
    return pattern + (id * 7919ULL + seq * 104729ULL) % PERIOD;
}

static void fill(unsigned char *datagram, uint32_t id, uint64_t seq) {
    memcpy(datagram, &id, 4);
    memcpy(datagram + 4, &seq, 8);
    memcpy(datagram + HEADER, body(id, seq), (size_t) (payload - HEADER));
}

/* Checks one echoed datagram of client c and retires its slot. */
static void check(struct client *c, const unsigned char *datagram, long long length, int truncated) {
    if (truncated || length != payload) {
        wrong_echo("a datagram of %lld bytes came back where every one sent has %lld (client %lld): "
                   "a datagram boundary was not kept", truncated ? (long long) MAX_PAYLOAD + 1 : length,
                   payload, c->id);
    }
    uint32_t id;
    uint64_t seq;
    memcpy(&id, datagram, 4);
    memcpy(&seq, datagram + 4, 8);
    if (id != c->id) {
        wrong_echo("client %lld received a datagram naming client %lld (sequence %lld)", c->id, id, (long long) seq);
    }
    if (seq >= c->next_seq) {
        wrong_echo("client %lld received sequence number %lld, but has sent only up to %lld",
                   c->id, (long long) seq, (long long) c->next_seq - 1);
    }
    const unsigned char *expected = body(id, seq);
    if (memcmp(datagram + HEADER, expected, (size_t) (payload - HEADER)) != 0) {
        for (long long i = 0; i < payload - HEADER; i++) {
            if (datagram[HEADER + i] != expected[i]) {
                wrong_echo("byte %lld of datagram %lld of client %lld differs from what was sent",
                           HEADER + i, (long long) seq, c->id);
            }
        }
    }
    struct slot *s = &c->slots[seq % (uint64_t) window];
    if (s->seq != seq || !s->in_flight) {
        /* Already answered: fine only as the second echo of a datagram that was sent twice. */
        if (s->seq == seq ? !s->resent : c->resends == 0) {
            wrong_echo("datagram %lld of client %lld came back twice, though it was sent once (%lld resends)",
                       (long long) seq, c->id, c->resends);
        }
        duplicates++;
        return;
    }
    s->in_flight = 0;
    c->in_flight--;
    c->answered++;
    if (round_trips != NULL) {
        round_trips[round_trip_count++] = now_ns() - s->first_sent;
    }
    if (c->to_send == 0 && c->in_flight == 0) {
        active--;
    }
}

static void receive(struct client *c) {
    struct mmsghdr messages[BATCH];
    struct iovec vectors[BATCH];
    for (;;) {
        for (int i = 0; i < BATCH; i++) {
            vectors[i] = (struct iovec) { .iov_base = recv_buffers[i], .iov_len = sizeof recv_buffers[i] };
            messages[i] = (struct mmsghdr) { .msg_hdr = { .msg_iov = &vectors[i], .msg_iovlen = 1 } };
        }
        int n = recvmmsg(c->fd, messages, BATCH, MSG_DONTWAIT, NULL);
        if (n < 0) {
            if (errno == EAGAIN || errno == EINTR) {
                return;
            }
            fail("recvmmsg");
        }
        recv_calls++;
        received_datagrams += n;
        for (int i = 0; i < n; i++) {
            check(c, recv_buffers[i], messages[i].msg_len, (messages[i].msg_hdr.msg_flags & MSG_TRUNC) != 0);
        }
        if (n < BATCH) {
            return;
        }
    }
}

/* Sends what the window allows: datagrams due again first, then new ones, BATCH per sendmmsg. */
static void transmit(struct client *c, long long now, int resend_due) {
    struct mmsghdr messages[BATCH];
    struct iovec vectors[BATCH];
    struct slot *batch[BATCH];
    int n = 0;
    if (resend_due) {
        for (long long i = 0; i < window && n < BATCH; i++) {
            struct slot *s = &c->slots[i];
            if (s->in_flight && now - s->last_sent > RETRANSMIT_MS * 1000000LL) {
                fill(send_buffers[n], c->id, s->seq);
                s->resent = 1;
                c->resends++;
                lost++;
                batch[n++] = s;
            }
        }
    }
    while (n < BATCH && c->to_send > 0 && c->in_flight < window) {
        struct slot *s = &c->slots[c->next_seq % (uint64_t) window];
        if (s->in_flight) {
            break;   /* an older datagram still holds this slot: wait for it */
        }
        *s = (struct slot) { .seq = c->next_seq, .first_sent = now, .in_flight = 1 };
        fill(send_buffers[n], c->id, c->next_seq);
        c->next_seq++;
        c->to_send--;
        c->in_flight++;
        batch[n++] = s;
    }
    int done = 0;
    while (done < n) {
        for (int i = done; i < n; i++) {
            vectors[i] = (struct iovec) { .iov_base = send_buffers[i], .iov_len = (size_t) payload };
            messages[i] = (struct mmsghdr) { .msg_hdr = { .msg_iov = &vectors[i], .msg_iovlen = 1 } };
        }
        int sent = sendmmsg(c->fd, messages + done, (unsigned) (n - done), MSG_DONTWAIT);
        if (sent < 0) {
            if (errno == EAGAIN || errno == ENOBUFS || errno == EINTR) {
                break;   /* the rest count as sent and go again after RETRANSMIT_MS if unanswered */
            }
            fail("sendmmsg");
        }
        send_calls++;
        sent_datagrams += sent;
        done += sent;
    }
    for (int i = 0; i < n; i++) {
        batch[i]->last_sent = now;
    }
}

/* Every client has `messages` more datagrams echoed, or the deadline passes; 1 if they were. */
static int exchange(long long messages, long long deadline, int record, long long *elapsed) {
    struct epoll_event events[256];
    active = count;
    round_trip_count = 0;
    round_trips = NULL;
    if (record) {
        round_trips = malloc(sizeof(long long) * (size_t) (count * messages));
        if (round_trips == NULL) {
            fail("malloc");
        }
    }
    long long start = now_ns();
    for (int i = 0; i < count; i++) {
        clients[i].to_send = messages;
        clients[i].answered = 0;
        transmit(&clients[i], start, 0);
    }
    long long last_resend_scan = start;
    int finished = 1;
    while (active > 0) {
        long long now = now_ns();
        if (now >= deadline) {
            finished = 0;
            break;
        }
        long long left_ms = (deadline - now) / 1000000 + 1;
        int ready = epoll_wait(epfd, events, 256, left_ms < 10 ? (int) left_ms : 10);
        if (ready < 0) {
            if (errno == EINTR) {
                continue;
            }
            fail("epoll_wait");
        }
        for (int i = 0; i < ready; i++) {
            receive(&clients[events[i].data.u32]);
        }
        now = now_ns();
        int resend_due = now - last_resend_scan > 10 * 1000000LL;
        if (resend_due) {
            last_resend_scan = now;
        }
        for (int i = 0; i < count; i++) {
            if (clients[i].to_send > 0 || (resend_due && clients[i].in_flight > 0)) {
                transmit(&clients[i], now, resend_due);
            }
        }
    }
    *elapsed = now_ns() - start;
    return finished;
}

static long long number(const char *text, long long min, long long max, const char *name) {
    char *end;
    errno = 0;
    long long n = strtoll(text, &end, 10);
    if (errno != 0 || *end != '\0' || n < min || n > max) {
        fprintf(stderr, "udp_loadgen: %s must be a whole number from %lld to %lld, not '%s'\n", name, min, max, text);
        exit(2);
    }
    return n;
}

static void open_clients(int port) {
    struct sockaddr_in server = { .sin_family = AF_INET, .sin_port = htons((uint16_t) port) };
    server.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    for (int i = 0; i < count; i++) {
        struct client *c = &clients[i];
        c->id = (uint32_t) i;
        c->slots = calloc((size_t) window, sizeof *c->slots);
        if (c->slots == NULL) {
            fail("calloc");
        }
        c->fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (c->fd < 0) {
            fail("socket");
        }
        int size = SOCKET_BUFFER;
        if (setsockopt(c->fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size) < 0) {
            fail("setsockopt(SO_RCVBUF)");
        }
        if (setsockopt(c->fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof size) < 0) {
            fail("setsockopt(SO_SNDBUF)");
        }
        if (connect(c->fd, (struct sockaddr *) &server, sizeof server) < 0) {
            fail("connect");
        }
        struct epoll_event event = { .events = EPOLLIN, .data.u32 = (uint32_t) i };
        if (epoll_ctl(epfd, EPOLL_CTL_ADD, c->fd, &event) < 0) {
            fail("epoll_ctl(EPOLL_CTL_ADD)");
        }
    }
}

static void write_round_trips(const char *file) {
    FILE *out = fopen(file, "wb");
    if (out == NULL) {
        fail(file);
    }
    if (fwrite(round_trips, sizeof(long long), (size_t) round_trip_count, out) != (size_t) round_trip_count
            || fclose(out) != 0) {
        fail(file);
    }
}

int main(int argc, char **argv) {
    if (argc != 8) {
        fprintf(stderr, "usage: udp_loadgen PORT PAYLOAD CLIENTS WINDOW MESSAGES TIME_LIMIT_MS RTT_FILE\n");
        return 2;
    }
    int port = (int) number(argv[1], 1, 65535, "PORT");
    payload = number(argv[2], HEADER, MAX_PAYLOAD, "PAYLOAD");
    count = (int) number(argv[3], 1, 4096, "CLIENTS");
    window = number(argv[4], 1, 4096, "WINDOW");
    long long messages = number(argv[5], 1, 100000000, "MESSAGES");
    long long limit_ms = number(argv[6], 1, 3600000, "TIME_LIMIT_MS");
    const char *rtt_file = argv[7];
    generate();
    epfd = epoll_create1(EPOLL_CLOEXEC);
    if (epfd < 0) {
        fail("epoll_create1");
    }
    clients = calloc((size_t) count, sizeof *clients);
    if (clients == NULL) {
        fail("calloc");
    }
    open_clients(port);
    long long elapsed;
    long long saved_window = window;
    window = 1;   /* slots are indexed modulo the window: the set-up phase uses slot 0 only */
    if (!exchange(1, now_ns() + SETUP_LIMIT_MS * 1000000LL, 0, &elapsed)) {
        fprintf(stderr, "udp_loadgen: wrong echo: the server did not echo a first datagram to all %d clients "
                "within %d s\n", count, SETUP_LIMIT_MS / 1000);
        return 3;
    }
    window = saved_window;
    lost = duplicates = send_calls = sent_datagrams = recv_calls = received_datagrams = 0;
    int finished = exchange(messages, now_ns() + limit_ms * 1000000LL, window == 1, &elapsed);
    long long done = 0;
    for (int i = 0; i < count; i++) {
        done += clients[i].answered;
        close(clients[i].fd);
    }
    if (round_trips != NULL && strcmp(rtt_file, "-") != 0) {
        write_round_trips(rtt_file);
    }
    printf("messages=%lld bytes=%lld elapsed_ns=%lld timed_out=%d round_trips=%lld lost=%lld duplicates=%lld "
           "send_calls=%lld sent=%lld recv_calls=%lld received=%lld\n",
           done, done * payload, elapsed, !finished, round_trip_count, lost, duplicates,
           send_calls, sent_datagrams, recv_calls, received_datagrams);
    return 0;
}
