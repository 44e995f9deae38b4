/*
 * The io_uring reference line of the echo harness, beside echo_server.c's epoll one: a plain
 * liburing echo. One thread, one ring (SINGLE_ISSUER | DEFER_TASKRUN where the kernel takes
 * them), a multishot accept, and per connection a multishot receive into a ring of BUFFERS
 * provided buffers of BUFFER_SIZE bytes shared by all connections. Each received buffer is
 * sent back as it is, one send in flight per connection (a second could overtake a short
 * first one); a short send is resumed where it stopped, and the buffer goes back to the ring
 * once all of it is sent. Accepted sockets get TCP_NODELAY. Back-pressure: a connection with
 * PAUSE_AT unsent buffers has its receive cancelled until its queue drains (a slow reader
 * holds a bounded share of the buffers); a receive that finds the ring empty (-ENOBUFS)
 * waits until buffers come back.
 *
 *   echo_server_uring [--workers N]   (N is accepted for the harness's sake; always one thread)
 *
 * Listens on 127.0.0.1 on a free port and prints "PORT <n>" when ready. Stops, closing every
 * socket without waiting for anything, at the end of its standard input (the harness closes
 * it) or on SIGTERM or SIGINT (read through a signalfd on the ring); exit status 0. Bad
 * options: one line on standard error, exit status 2. A failed call names the call and its
 * errno; a failure on one connection closes that connection only.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <liburing.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

#define RING_ENTRIES 1024
#define CQ_ENTRIES 8192
#define BUFFERS 512             /* a power of two (the buffer ring needs one); one per connection at 512 */
#define BUFFER_SIZE 32768       /* 8 KiB ones ran 1024 B pipelined at 0.6x echo_server.c */
#define GROUP 0
#define PAUSE_AT 4              /* 128 KiB unsent: stop receiving */
#define NO_BUFFER 0xFFFF

/* What a completion is for: the low 3 bits of its user_data, above them the connection (or nothing). */
enum op { OP_ACCEPT, OP_RECV, OP_SEND, OP_CANCEL, OP_STDIN, OP_SIGNAL };

struct connection {
    int fd;
    int operations;             /* requests in the ring that name this connection */
    int receiving;              /* a multishot receive is armed (until its last completion) */
    int cancelling;             /* a cancel of that receive is in the ring */
    int sending;                /* a send is in the ring */
    int closing;
    int starved;                /* on the starved list, waiting for a buffer */
    unsigned queued;            /* buffers received and not yet fully sent */
    uint16_t head, tail;        /* the queue, linked through next_buffer[] */
    uint32_t sent;              /* bytes of the head buffer sent so far */
    struct connection *next_starved;
    struct connection *prev, *next;   /* every live connection, for the exit */
};

static struct io_uring ring;
static struct io_uring_buf_ring *buffer_ring;
static unsigned char *buffers;
static uint16_t next_buffer[BUFFERS];
static uint32_t buffer_length[BUFFERS];
static struct connection *connections, *starved;
static int buffers_returned;
static int listener, signals;
static char stdin_sink[256];
static struct signalfd_siginfo signal_info;
static const char *stopping;   /* why the loop stops, once it does */

static void fail(const char *call, int error) {
    fprintf(stderr, "echo_server_uring: %s failed: %s (errno %d)\n", call, strerror(error), error);
    exit(1);
}

/* Closes a connection's socket; a failure is said, and costs nothing else. */
static void close_socket(int fd) {
    if (close(fd) < 0) {
        fprintf(stderr, "echo_server_uring: close failed: %s (errno %d)\n", strerror(errno), errno);
    }
}

static void usage(const char *problem, const char *what) {
    fprintf(stderr, "echo_server_uring: %s%s (usage: echo_server_uring [--workers N])\n", problem, what);
    exit(2);
}

static uint64_t tag(struct connection *c, enum op op) {
    return (uint64_t) (uintptr_t) c | (uint64_t) op;
}

/* A free submission slot; a full queue is submitted first to make room. */
static struct io_uring_sqe *slot(void) {
    struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
    if (sqe == NULL) {
        int submitted = io_uring_submit(&ring);
        if (submitted < 0) {
            fail("io_uring_submit", -submitted);
        }
        sqe = io_uring_get_sqe(&ring);
        if (sqe == NULL) {
            fail("io_uring_get_sqe (the submission queue stays full)", EBUSY);
        }
    }
    return sqe;
}

static void arm_accept(void) {
    struct io_uring_sqe *sqe = slot();
    io_uring_prep_multishot_accept(sqe, listener, NULL, NULL, SOCK_CLOEXEC);
    io_uring_sqe_set_data64(sqe, tag(NULL, OP_ACCEPT));
}

static void arm_read(int fd, void *into, unsigned size, enum op op) {
    struct io_uring_sqe *sqe = slot();
    io_uring_prep_read(sqe, fd, into, size, 0);
    io_uring_sqe_set_data64(sqe, tag(NULL, op));
}

static void arm_receive(struct connection *c) {
    struct io_uring_sqe *sqe = slot();
    io_uring_prep_recv_multishot(sqe, c->fd, NULL, 0, 0);
    sqe->flags |= IOSQE_BUFFER_SELECT;
    sqe->buf_group = GROUP;
    sqe->ioprio |= IORING_RECVSEND_POLL_FIRST;   /* the data is rarely there yet: wait for it first */
    io_uring_sqe_set_data64(sqe, tag(c, OP_RECV));
    c->receiving = 1;
    c->operations++;
}

static void cancel_receive(struct connection *c) {
    if (!c->receiving || c->cancelling) {
        return;
    }
    struct io_uring_sqe *sqe = slot();
    io_uring_prep_cancel64(sqe, tag(c, OP_RECV), 0);
    io_uring_sqe_set_data64(sqe, tag(c, OP_CANCEL));
    c->cancelling = 1;
    c->operations++;
}

/* The head buffer's unsent rest, to the socket. */
static void send_head(struct connection *c) {
    uint16_t id = c->head;
    struct io_uring_sqe *sqe = slot();
    io_uring_prep_send(sqe, c->fd, buffers + (size_t) id * BUFFER_SIZE + c->sent, buffer_length[id] - c->sent,
            MSG_NOSIGNAL);
    io_uring_sqe_set_data64(sqe, tag(c, OP_SEND));
    c->sending = 1;
    c->operations++;
}

static void give_back(uint16_t id) {
    io_uring_buf_ring_add(buffer_ring, buffers + (size_t) id * BUFFER_SIZE, BUFFER_SIZE, id,
            io_uring_buf_ring_mask(BUFFERS), 0);
    io_uring_buf_ring_advance(buffer_ring, 1);
    buffers_returned = 1;
}

/* Takes the head buffer off the queue and gives it back to the ring. */
static void pop(struct connection *c) {
    uint16_t id = c->head;
    c->head = next_buffer[id];
    if (c->head == NO_BUFFER) {
        c->tail = NO_BUFFER;
    }
    c->queued--;
    c->sent = 0;
    give_back(id);
}

/* Receives again if the connection may: open, not already receiving, not paused, not waiting for buffers. */
static void resume(struct connection *c) {
    if (!c->closing && !c->receiving && !c->starved && c->queued < PAUSE_AT) {
        arm_receive(c);
    }
}

static void unlink_starved(struct connection *c) {
    for (struct connection **p = &starved; *p != NULL; p = &(*p)->next_starved) {
        if (*p == c) {
            *p = c->next_starved;
            break;
        }
    }
    c->starved = 0;
}

/* Closes the socket and frees the connection once no request in the ring names it. */
static void settle(struct connection *c) {
    if (!c->closing || c->operations > 0) {
        return;
    }
    close_socket(c->fd);
    if (c->prev != NULL) {
        c->prev->next = c->next;
    } else {
        connections = c->next;
    }
    if (c->next != NULL) {
        c->next->prev = c->prev;
    }
    free(c);
}

/* Stops the connection: cancels its receive, drops its unsent buffers (on_send drops them if one is in a send). */
static void shut(struct connection *c) {
    if (c->closing) {
        return;
    }
    c->closing = 1;
    unlink_starved(c);   /* (a list that is almost always empty) */
    cancel_receive(c);
    while (!c->sending && c->queued > 0) {
        pop(c);
    }
}

static void accepted(int fd) {
    int one = 1;
    if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) < 0) {
        fprintf(stderr, "echo_server_uring: setsockopt(TCP_NODELAY) failed: %s; connection closed\n", strerror(errno));
        close_socket(fd);
        return;
    }
    struct connection *c = calloc(1, sizeof *c);
    if (c == NULL) {
        fail("calloc", ENOMEM);
    }
    c->fd = fd;
    c->head = c->tail = NO_BUFFER;
    c->next = connections;
    if (connections != NULL) {
        connections->prev = c;
    }
    connections = c;
    arm_receive(c);
}

static void on_accept(struct io_uring_cqe *cqe) {
    if (cqe->res >= 0) {
        accepted(cqe->res);
    } else if (cqe->res != -ECONNABORTED && cqe->res != -EINTR && cqe->res != -EAGAIN) {
        fail("accept (multishot)", -cqe->res);
    }
    if (!(cqe->flags & IORING_CQE_F_MORE)) {
        arm_accept();
    }
}

static void on_receive(struct connection *c, struct io_uring_cqe *cqe) {
    int more = (cqe->flags & IORING_CQE_F_MORE) != 0;
    if (!more) {
        c->receiving = 0;
        c->operations--;
    }
    if (cqe->flags & IORING_CQE_F_BUFFER) {
        uint16_t id = (uint16_t) (cqe->flags >> IORING_CQE_BUFFER_SHIFT);
        if (cqe->res <= 0 || c->closing) {
            give_back(id);
        } else {
            buffer_length[id] = (uint32_t) cqe->res;
            next_buffer[id] = NO_BUFFER;
            if (c->tail == NO_BUFFER) {
                c->head = id;
            } else {
                next_buffer[c->tail] = id;
            }
            c->tail = id;
            c->queued++;
            if (!c->sending) {
                send_head(c);
            }
            if (c->queued >= PAUSE_AT) {
                cancel_receive(c);   /* a slow reader: stop receiving until its queue drains */
            }
        }
    }
    if (cqe->res == 0 || (cqe->res < 0 && cqe->res != -ENOBUFS && cqe->res != -ECANCELED)) {
        shut(c);   /* end of stream, or the connection failed */
    } else if (!more && cqe->res == -ENOBUFS && !c->closing) {
        c->starved = 1;   /* every buffer is out: receive again once some come back */
        c->next_starved = starved;
        starved = c;
    } else if (!more) {
        resume(c);
    }
    settle(c);
}

static void on_send(struct connection *c, struct io_uring_cqe *cqe) {
    c->sending = 0;
    c->operations--;
    if (cqe->res > 0) {
        c->sent += (uint32_t) cqe->res;
        if (c->sent == buffer_length[c->head]) {
            pop(c);
        }
    } else if (cqe->res != -EINTR && cqe->res != -EAGAIN) {
        shut(c);   /* the peer is gone (reset, broken pipe) */
    }
    if (c->closing) {
        while (c->queued > 0) {
            pop(c);   /* not sent: nobody reads them */
        }
    } else if (c->queued > 0) {
        send_head(c);   /* a short send's rest, or the next buffer */
    }
    resume(c);
    settle(c);
}

static void on_cancel(struct connection *c, struct io_uring_cqe *cqe) {
    c->cancelling = 0;
    c->operations--;
    if (cqe->res < 0 && cqe->res != -ENOENT && cqe->res != -EALREADY) {
        fail("io_uring cancel", -cqe->res);
    }
    settle(c);
}

static void on_completion(struct io_uring_cqe *cqe) {
    uint64_t data = io_uring_cqe_get_data64(cqe);
    struct connection *c = (struct connection *) (uintptr_t) (data & ~(uint64_t) 7);
    switch ((enum op) (data & 7)) {
    case OP_ACCEPT: on_accept(cqe); break;
    case OP_RECV: on_receive(c, cqe); break;
    case OP_SEND: on_send(c, cqe); break;
    case OP_CANCEL: on_cancel(c, cqe); break;
    case OP_STDIN:
        if (cqe->res > 0 || cqe->res == -EINTR || cqe->res == -EAGAIN) {
            arm_read(STDIN_FILENO, stdin_sink, sizeof stdin_sink, OP_STDIN);
        } else {   /* the harness closed our standard input: stop */
            stopping = cqe->res == 0 ? "end of standard input" : strerror(-cqe->res);
        }
        break;
    case OP_SIGNAL:
        if (cqe->res == (int) sizeof signal_info) {
            stopping = strsignal((int) signal_info.ssi_signo);
        } else if (cqe->res < 0 && cqe->res != -EINTR && cqe->res != -EAGAIN) {
            fail("read (signalfd)", -cqe->res);
        } else {
            arm_read(signals, &signal_info, sizeof signal_info, OP_SIGNAL);
        }
        break;
    }
}

/* The connections that found no buffer receive again, now that some came back. */
static void feed_starved(void) {
    buffers_returned = 0;
    struct connection *c = starved;
    starved = NULL;
    while (c != NULL) {
        struct connection *next = c->next_starved;
        c->starved = 0;
        c->next_starved = NULL;
        resume(c);
        c = next;
    }
}

static void listen_tcp(void) {
    listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (listener < 0) {
        fail("socket", errno);
    }
    int one = 1;
    if (setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0) {
        fail("setsockopt(SO_REUSEADDR)", errno);
    }
    struct sockaddr_in address = { .sin_family = AF_INET };
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(listener, (struct sockaddr *) &address, sizeof address) < 0) {
        fail("bind", errno);
    }
    if (listen(listener, 4096) < 0) {
        fail("listen", errno);
    }
    socklen_t length = sizeof address;
    if (getsockname(listener, (struct sockaddr *) &address, &length) < 0) {
        fail("getsockname", errno);
    }
    printf("PORT %d\n", ntohs(address.sin_port));
}

/* The ring, with the flags a one-thread loop wants where the kernel has them. */
static void ring_up(void) {
    unsigned wanted[] = { IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN, IORING_SETUP_COOP_TASKRUN, 0 };
    int result = -EINVAL;
    for (size_t i = 0; i < sizeof wanted / sizeof wanted[0] && result == -EINVAL; i++) {
        struct io_uring_params params = { .flags = wanted[i] | IORING_SETUP_CQSIZE, .cq_entries = CQ_ENTRIES };
        result = io_uring_queue_init_params(RING_ENTRIES, &ring, &params);
        if (result == 0) {
            fprintf(stderr, "echo_server_uring: ring of %u/%u entries, setup flags 0x%x, features 0x%x;"
                    " multishot accept and receive, %d provided buffers of %d bytes\n",
                    params.sq_entries, params.cq_entries, params.flags, params.features, BUFFERS, BUFFER_SIZE);
        }
    }
    if (result < 0) {
        fail("io_uring_queue_init_params", -result);
    }
    long page = sysconf(_SC_PAGESIZE);
    if (page < 0) {
        fail("sysconf(_SC_PAGESIZE)", errno);
    }
    int error = posix_memalign((void **) &buffer_ring, (size_t) page, BUFFERS * sizeof(struct io_uring_buf));
    if (error != 0) {
        fail("posix_memalign (buffer ring)", error);
    }
    error = posix_memalign((void **) &buffers, 64, (size_t) BUFFERS * BUFFER_SIZE);
    if (error != 0) {
        fail("posix_memalign (buffers)", error);
    }
    io_uring_buf_ring_init(buffer_ring);
    struct io_uring_buf_reg reg = { .ring_addr = (uint64_t) (uintptr_t) buffer_ring, .ring_entries = BUFFERS,
            .bgid = GROUP };
    result = io_uring_register_buf_ring(&ring, &reg, 0);
    if (result < 0) {
        fail("io_uring_register_buf_ring", -result);
    }
    for (unsigned id = 0; id < BUFFERS; id++) {
        io_uring_buf_ring_add(buffer_ring, buffers + (size_t) id * BUFFER_SIZE, BUFFER_SIZE, (uint16_t) id,
                io_uring_buf_ring_mask(BUFFERS), (int) id);
    }
    io_uring_buf_ring_advance(buffer_ring, BUFFERS);
}

/* SIGTERM and SIGINT, blocked and read through a signalfd instead: no handler races the ring. */
static void catch_signals(void) {
    sigset_t set;
    if (sigemptyset(&set) < 0 || sigaddset(&set, SIGTERM) < 0 || sigaddset(&set, SIGINT) < 0) {
        fail("sigaddset", errno);
    }
    int error = pthread_sigmask(SIG_BLOCK, &set, NULL);
    if (error != 0) {
        fail("pthread_sigmask", error);
    }
    signals = signalfd(-1, &set, SFD_CLOEXEC);
    if (signals < 0) {
        fail("signalfd", errno);
    }
}

int main(int argc, char **argv) {
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--workers") == 0) {
            if (i + 1 >= argc) {
                usage(argv[i], " needs a value");
            }
            i++;   /* one thread whatever the harness asks */
        } else {
            usage("unknown option ", argv[i]);
        }
    }
    catch_signals();
    listen_tcp();
    ring_up();
    arm_accept();
    arm_read(STDIN_FILENO, stdin_sink, sizeof stdin_sink, OP_STDIN);
    arm_read(signals, &signal_info, sizeof signal_info, OP_SIGNAL);
    if (fflush(stdout) != 0) {   /* the PORT line: the harness starts once it sees it */
        fail("fflush (standard output)", errno);
    }
    while (!stopping) {
        int result = io_uring_submit_and_wait(&ring, 1);
        if (result < 0 && result != -EINTR && result != -EAGAIN && result != -EBUSY) {
            fail("io_uring_submit_and_wait", -result);
        }
        struct io_uring_cqe *cqe;
        unsigned head, seen = 0;
        io_uring_for_each_cqe(&ring, head, cqe) {
            on_completion(cqe);
            seen++;
        }
        io_uring_cq_advance(&ring, seen);
        if (buffers_returned && starved != NULL) {
            feed_starved();
        }
    }
    fprintf(stderr, "echo_server_uring: stopping (%s)\n", stopping);
    /* Bounded stop: close every socket now; tearing the ring down cancels whatever is still in it. */
    for (struct connection *c = connections, *next; c != NULL; c = next) {
        next = c->next;
        close_socket(c->fd);
        free(c);
    }
    io_uring_queue_exit(&ring);
    if (close(listener) < 0 || close(signals) < 0) {
        fail("close", errno);
    }
    free(buffers);   /* the ring is gone: nothing writes into them any more */
    free(buffer_ring);
    return 0;
}
