/*
 * The echo harness's load generator, in C so that the client costs as little CPU as it
 * can and the server under test is what the figures measure. One thread and one epoll
 * instance drive every connection of one workload; the bytes sent and checked are the
 * harness's EchoPattern stream (period 65,521, a per-connection offset), so every echoed
 * byte is compared with what was sent at that stream position. Loopback or a Unix socket only.
 *
 *   loadgen TARGET PAYLOAD CONNECTIONS WINDOW MESSAGES TIME_LIMIT_MS RTT_FILE
 *
 * TARGET is a PORT of 127.0.0.1 (TCP, with TCP_NODELAY), unix:PATH (a Unix stream socket
 * file) or unix:@NAME (a Linux abstract name). Connects CONNECTIONS sockets to it, echoes one message on each (so the
 * server has accepted them all before the clock starts), then has each connection echo
 * MESSAGES messages of PAYLOAD bytes with at most WINDOW in flight. With a window of 1 the
 * round-trip time of every message goes to RTT_FILE as 64-bit little-endian nanoseconds
 * ("-" for none). Prints one line:
 *   messages=M bytes=B elapsed_ns=E timed_out=0|1 round_trips=R
 * Exit status: 0 done; 2 bad arguments; 3 the echo was wrong (a changed, missing or extra
 * byte, or a closed connection: said on standard error); 1 a failed system call.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <stddef.h>
#include <time.h>
#include <unistd.h>
#include <fcntl.h>

#define PERIOD 65521
#define MAX_CHUNK (64 * 1024)
#define SETUP_LIMIT_MS 30000

struct connection {
    int fd;
    int seed;
    int wants_write;
    long long sent, received, phase_start, target, send_limit;
    long long message_start;
};

static unsigned char pattern[PERIOD + MAX_CHUNK];
static unsigned char buffer[MAX_CHUNK];
static struct connection *connections;
static int count, epfd, active;
static long long payload, window;
static long long *round_trips;
static long long round_trip_count;

static long long now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static void fail(const char *call) {
    int e = errno;
    fprintf(stderr, "loadgen: %s failed: %s (errno %d)\n", call, strerror(e), e);
    exit(1);
}

static void wrong_echo(const char *what, long long a, long long b) {
    fprintf(stderr, "loadgen: wrong echo: ");
    fprintf(stderr, what, a, b);
    fprintf(stderr, "\n");
    exit(3);
}

/* The same xorshift64 stream as EchoPattern.java, one period and its first chunk again. */
static void generate(void) {
    uint64_t state = 0x9E3779B97F4A7C15ULL;
    for (int i = 0; i < PERIOD; i++) {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        pattern[i] = (unsigned char) (state >> 24);
    }
    for (int i = PERIOD; i < PERIOD + MAX_CHUNK; i++) {   /* MAX_CHUNK > PERIOD: wraps twice */
        pattern[i] = pattern[i - PERIOD];
    }
}

static int index_of(const struct connection *c, long long position) {
    return (int) ((position + c->seed) % PERIOD);
}

static void interest(struct connection *c, int write) {
    struct epoll_event event = { .events = EPOLLIN | (write ? EPOLLOUT : 0), .data.u32 = (uint32_t) (c - connections) };
    if (epoll_ctl(epfd, EPOLL_CTL_MOD, c->fd, &event) < 0) {
        fail("epoll_ctl(EPOLL_CTL_MOD)");
    }
    c->wants_write = write;
}

/* Whole messages, up to the window beyond the last complete one. */
static void allow_more(struct connection *c) {
    long long complete = (c->received - c->phase_start) / payload * payload;
    long long limit = c->phase_start + complete + window * payload;
    c->send_limit = limit < c->target ? limit : c->target;
}

static void flush(struct connection *c) {
    while (c->sent < c->send_limit) {
        long long left = c->send_limit - c->sent;
        size_t length = left < MAX_CHUNK ? (size_t) left : MAX_CHUNK;
        ssize_t n = write(c->fd, pattern + index_of(c, c->sent), length);
        if (n < 0) {
            if (errno == EAGAIN || errno == EINTR) {
                break;
            }
            fail("write");
        }
        c->sent += n;
        if ((size_t) n < length) {
            break;
        }
    }
    int want = c->sent < c->send_limit;
    if (want != c->wants_write) {
        interest(c, want);
    }
}

static void receive(struct connection *c) {
    ssize_t n = read(c->fd, buffer, sizeof buffer);
    if (n < 0) {
        if (errno == EAGAIN || errno == EINTR) {
            return;
        }
        fail("read");
    }
    if (n == 0) {
        wrong_echo("the server closed a connection after echoing %lld of %lld bytes", c->received, c->sent);
    }
    if (c->received + n > c->sent) {
        wrong_echo("the server echoed %lld bytes but only %lld were sent", c->received + n, c->sent);
    }
    const unsigned char *expected = pattern + index_of(c, c->received);
    if (memcmp(buffer, expected, (size_t) n) != 0) {
        for (ssize_t i = 0; i < n; i++) {
            if (buffer[i] != expected[i]) {
                wrong_echo("echoed byte %lld of a connection is %lld", c->received + i, buffer[i]);
            }
        }
    }
    long long before = (c->received - c->phase_start) / payload;
    c->received += n;
    if ((c->received - c->phase_start) / payload == before) {
        return;
    }
    if (round_trips != NULL) {
        long long now = now_ns();
        round_trips[round_trip_count++] = now - c->message_start;
        c->message_start = now;
    }
    if (c->received == c->target) {
        active--;
    } else {
        allow_more(c);
        flush(c);
    }
}

/* Every connection echoes `messages` more messages, or the deadline passes; returns 1 if it did. */
static int exchange(long long messages, long long deadline, int record, long long *elapsed) {
    struct epoll_event events[256];
    active = count;
    round_trip_count = 0;
    round_trips = record ? malloc(sizeof(long long) * (size_t) (count * messages)) : NULL;
    if (record && round_trips == NULL) {
        fail("malloc");
    }
    long long start = now_ns();
    for (int i = 0; i < count; i++) {
        struct connection *c = &connections[i];
        c->phase_start = c->received;
        c->target = c->received + messages * payload;
        c->message_start = start;
        allow_more(c);
        flush(c);
    }
    int finished = 1;
    while (active > 0) {
        long long left = deadline - now_ns();
        if (left <= 0) {
            finished = 0;
            break;
        }
        int timeout = left / 1000000 > 100 ? 100 : (int) (left / 1000000) + 1;
        int ready = epoll_wait(epfd, events, 256, timeout);
        if (ready < 0) {
            if (errno == EINTR) {
                continue;
            }
            fail("epoll_wait");
        }
        for (int i = 0; i < ready; i++) {
            struct connection *c = &connections[events[i].data.u32];
            if (events[i].events & (EPOLLIN | EPOLLERR | EPOLLHUP)) {
                receive(c);
            }
            if (events[i].events & EPOLLOUT) {
                flush(c);
            }
        }
    }
    *elapsed = now_ns() - start;
    return finished;
}

static long long number(const char *text, long long min, const char *name) {
    char *end;
    errno = 0;
    long long n = strtoll(text, &end, 10);
    if (errno != 0 || *end != '\0' || n < min) {
        fprintf(stderr, "loadgen: %s must be a whole number of at least %lld, not '%s'\n", name, min, text);
        exit(2);
    }
    return n;
}

/* Where the connections go: 127.0.0.1:PORT, or a Unix socket (a path, or @NAME for an abstract name). */
struct target {
    int family;
    struct sockaddr_storage address;
    socklen_t length;
};

static struct target parse_target(const char *text) {
    struct target t = { 0 };
    if (strncmp(text, "unix:", 5) != 0) {
        long long port = number(text, 1, "PORT");
        if (port > 65535) {
            fprintf(stderr, "loadgen: PORT must be at most 65535, not %lld\n", port);
            exit(2);
        }
        struct sockaddr_in *in = (struct sockaddr_in *) &t.address;
        in->sin_family = AF_INET;
        in->sin_port = htons((uint16_t) port);
        in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        t.family = AF_INET;
        t.length = sizeof *in;
        return t;
    }
    const char *path = text + 5;
    int abstract = path[0] == '@';
    const char *name = abstract ? path + 1 : path;
    size_t length = strlen(name);
    struct sockaddr_un *un = (struct sockaddr_un *) &t.address;
    /* A path needs its terminating NUL inside sun_path; an abstract name a leading NUL instead. */
    if (length == 0 || length + 1 > sizeof un->sun_path) {
        fprintf(stderr, "loadgen: a Unix target needs a %s of 1 to %zu bytes, not '%s'\n",
                abstract ? "name after unix:@" : "path after unix:", sizeof un->sun_path - 1, text);
        exit(2);
    }
    un->sun_family = AF_UNIX;
    memcpy(un->sun_path + abstract, name, length);
    t.family = AF_UNIX;
    t.length = (socklen_t) (offsetof(struct sockaddr_un, sun_path) + abstract + length + !abstract);
    return t;
}

int main(int argc, char **argv) {
    if (argc != 8) {
        fprintf(stderr, "usage: loadgen PORT|unix:PATH|unix:@NAME PAYLOAD CONNECTIONS WINDOW MESSAGES"
                " TIME_LIMIT_MS RTT_FILE\n");
        return 2;
    }
    struct target server = parse_target(argv[1]);
    payload = number(argv[2], 1, "PAYLOAD");
    count = (int) number(argv[3], 1, "CONNECTIONS");
    window = number(argv[4], 1, "WINDOW");
    long long messages = number(argv[5], 1, "MESSAGES");
    long long limit_ms = number(argv[6], 1, "TIME_LIMIT_MS");
    const char *rtt_file = argv[7];
    generate();
    epfd = epoll_create1(EPOLL_CLOEXEC);
    if (epfd < 0) {
        fail("epoll_create1");
    }
    connections = calloc((size_t) count, sizeof *connections);
    if (connections == NULL) {
        fail("calloc");
    }
    for (int i = 0; i < count; i++) {
        struct connection *c = &connections[i];
        c->fd = socket(server.family, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (c->fd < 0) {
            fail("socket");
        }
        int one = 1;
        if (server.family == AF_INET && setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) < 0) {
            fail("setsockopt(TCP_NODELAY)");
        }
        if (connect(c->fd, (struct sockaddr *) &server.address, server.length) < 0) {
            fail("connect");
        }
        if (fcntl(c->fd, F_SETFL, O_NONBLOCK) < 0) {
            fail("fcntl(O_NONBLOCK)");
        }
        c->seed = (int) ((i * 7919LL + 1) % PERIOD);
        struct epoll_event event = { .events = EPOLLIN, .data.u32 = (uint32_t) i };
        if (epoll_ctl(epfd, EPOLL_CTL_ADD, c->fd, &event) < 0) {
            fail("epoll_ctl(EPOLL_CTL_ADD)");
        }
    }
    long long elapsed;
    long long saved_window = window;
    window = 1;
    if (!exchange(1, now_ns() + SETUP_LIMIT_MS * 1000000LL, 0, &elapsed)) {
        fprintf(stderr, "loadgen: the server did not echo a first message on all %d connections within %d s\n",
                count, SETUP_LIMIT_MS / 1000);
        return 3;
    }
    window = saved_window;
    int finished = exchange(messages, now_ns() + limit_ms * 1000000LL, window == 1, &elapsed);
    long long done = 0;
    for (int i = 0; i < count; i++) {
        done += (connections[i].received - connections[i].phase_start) / payload;
        close(connections[i].fd);
    }
    if (round_trips != NULL && strcmp(rtt_file, "-") != 0) {
        FILE *out = fopen(rtt_file, "wb");
        if (out == NULL) {
            fail(rtt_file);
        }
        if (fwrite(round_trips, sizeof(long long), (size_t) round_trip_count, out) != (size_t) round_trip_count
                || fclose(out) != 0) {
            fail(rtt_file);
        }
    }
    printf("messages=%lld bytes=%lld elapsed_ns=%lld timed_out=%d round_trips=%lld\n",
           done, done * payload, elapsed, !finished, round_trip_count);
    return 0;
}
