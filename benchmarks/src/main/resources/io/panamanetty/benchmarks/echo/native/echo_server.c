/*
 * The reference line of the echo harness: the plainest fast echo server C allows. One
 * thread, level-triggered epoll, non-blocking sockets with TCP_NODELAY, one read of up to
 * 64 KiB per readiness event and the bytes written straight back; what the socket does
 * not take waits in a per-connection buffer while reading that connection pauses (so a
 * slow reader costs bounded memory), and reading resumes once it is drained.
 *
 *   echo_server [--unix PATH|@NAME] [--workers N]
 *                                 (N is accepted for the harness's sake; always one thread)
 *
 * Listens on 127.0.0.1 on a free port and prints "PORT <n>" when ready; with --unix it
 * listens on a Unix stream socket instead, the file PATH (which must not exist yet; removed
 * again on exit) or the Linux abstract name NAME, and prints "UNIX <PATH|@NAME>". Exits when
 * its standard input reaches end of file (the harness closes it). Bad options: one line on
 * standard error, exit status 2.
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
#include <unistd.h>

#define CHUNK (64 * 1024)
#define STDIN_TAG ((void *) 1)

struct connection {
    int fd;
    char *pending;      /* bytes the socket has not taken yet, or NULL */
    size_t offset, length;
};

static int epfd;
static int unix_mode;
static char buffer[CHUNK];

static void fail(const char *call) {
    int e = errno;
    fprintf(stderr, "echo_server: %s failed: %s (errno %d)\n", call, strerror(e), e);
    exit(1);
}

static void watch(int op, int fd, uint32_t events, void *tag) {
    struct epoll_event event = { .events = events, .data.ptr = tag };
    if (epoll_ctl(epfd, op, fd, &event) < 0) {
        fail("epoll_ctl");
    }
}

static void drop(struct connection *c) {
    close(c->fd);   /* also removes it from the epoll set */
    free(c->pending);
    free(c);
}

static void accept_all(int listener) {
    for (;;) {
        int fd = accept4(listener, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EAGAIN || errno == EINTR || errno == ECONNABORTED) {
                return;
            }
            fail("accept4");
        }
        if (!unix_mode) {
            int one = 1;
            setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        }
        struct connection *c = calloc(1, sizeof *c);
        if (c == NULL) {
            fail("calloc");
        }
        c->fd = fd;
        watch(EPOLL_CTL_ADD, fd, EPOLLIN, c);
    }
}

/* Writes what is pending; returns 0 if the connection failed and was dropped. */
static int drain(struct connection *c) {
    while (c->offset < c->length) {
        ssize_t n = write(c->fd, c->pending + c->offset, c->length - c->offset);
        if (n < 0) {
            if (errno == EAGAIN) {
                return 1;
            }
            if (errno == EINTR) {
                continue;
            }
            drop(c);
            return 0;
        }
        c->offset += (size_t) n;
    }
    free(c->pending);
    c->pending = NULL;
    c->offset = c->length = 0;
    watch(EPOLL_CTL_MOD, c->fd, EPOLLIN, c);
    return 1;
}

static void echo(struct connection *c) {
    ssize_t n = read(c->fd, buffer, sizeof buffer);
    if (n <= 0) {
        if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
            return;
        }
        drop(c);   /* end of stream or reset */
        return;
    }
    ssize_t written = 0;
    while (written < n) {
        ssize_t w = write(c->fd, buffer + written, (size_t) (n - written));
        if (w < 0) {
            if (errno == EINTR) {
                continue;
            }
            if (errno != EAGAIN) {
                drop(c);
                return;
            }
            break;
        }
        written += w;
    }
    if (written < n) {
        c->length = (size_t) (n - written);
        c->offset = 0;
        c->pending = malloc(c->length);
        if (c->pending == NULL) {
            fail("malloc");
        }
        memcpy(c->pending, buffer + written, c->length);
        watch(EPOLL_CTL_MOD, c->fd, EPOLLOUT, c);   /* pause reading until drained */
    }
}

static void usage(const char *problem, const char *what) {
    fprintf(stderr, "echo_server: %s%s (usage: echo_server [--unix PATH|@NAME] [--workers N])\n", problem, what);
    exit(2);
}

/* A listener on 127.0.0.1, a free port; prints its PORT line once listening. */
static int listen_tcp(void) {
    int listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (listener < 0) {
        fail("socket");
    }
    int one = 1;
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in address = { .sin_family = AF_INET };
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(listener, (struct sockaddr *) &address, sizeof address) < 0) {
        fail("bind");
    }
    if (listen(listener, 4096) < 0) {
        fail("listen");
    }
    socklen_t length = sizeof address;
    if (getsockname(listener, (struct sockaddr *) &address, &length) < 0) {
        fail("getsockname");
    }
    printf("PORT %d\n", ntohs(address.sin_port));
    return listener;
}

/* A listener on the Unix socket `target` (a path, or @NAME for an abstract name); prints its UNIX line. */
static int listen_unix(const char *target) {
    int abstract = target[0] == '@';
    const char *name = abstract ? target + 1 : target;
    size_t length = strlen(name);
    struct sockaddr_un address = { .sun_family = AF_UNIX };
    if (length == 0 || length + 1 > sizeof address.sun_path) {
        usage("--unix needs a path (or @name) of 1 to 107 bytes, not ", target);
    }
    memcpy(address.sun_path + abstract, name, length);
    int listener = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (listener < 0) {
        fail("socket");
    }
    socklen_t size = (socklen_t) (offsetof(struct sockaddr_un, sun_path) + abstract + length + !abstract);
    if (bind(listener, (struct sockaddr *) &address, size) < 0) {
        fail("bind");
    }
    if (listen(listener, 4096) < 0) {
        fail("listen");
    }
    printf("UNIX %s\n", target);
    return listener;
}

int main(int argc, char **argv) {
    const char *unix_target = NULL;
    for (int i = 1; i < argc; i++) {
        if (i + 1 >= argc && (strcmp(argv[i], "--unix") == 0 || strcmp(argv[i], "--workers") == 0)) {
            usage(argv[i], " needs a value");
        }
        if (strcmp(argv[i], "--unix") == 0) {
            unix_target = argv[++i];
        } else if (strcmp(argv[i], "--workers") == 0) {
            i++;   /* one thread whatever the harness asks */
        } else {
            usage("unknown option ", argv[i]);
        }
    }
    unix_mode = unix_target != NULL;
    int listener = unix_mode ? listen_unix(unix_target) : listen_tcp();
    epfd = epoll_create1(EPOLL_CLOEXEC);
    if (epfd < 0) {
        fail("epoll_create1");
    }
    watch(EPOLL_CTL_ADD, listener, EPOLLIN, NULL);
    watch(EPOLL_CTL_ADD, STDIN_FILENO, EPOLLIN, STDIN_TAG);
    fflush(stdout);   /* the PORT or UNIX line: the harness starts once it sees it */
    struct epoll_event events[1024];
    for (;;) {
        int ready = epoll_wait(epfd, events, 1024, -1);
        if (ready < 0) {
            if (errno == EINTR) {
                continue;
            }
            fail("epoll_wait");
        }
        for (int i = 0; i < ready; i++) {
            void *tag = events[i].data.ptr;
            if (tag == NULL) {
                accept_all(listener);
            } else if (tag == STDIN_TAG) {
                char sink[256];
                if (read(STDIN_FILENO, sink, sizeof sink) <= 0) {
                    if (unix_mode && unix_target[0] != '@') {
                        unlink(unix_target);   /* our own socket file goes with us */
                    }
                    return 0;   /* the harness closed our standard input: stop */
                }
            } else {
                struct connection *c = tag;
                if (c->pending != NULL) {
                    if (events[i].events & (EPOLLOUT | EPOLLERR | EPOLLHUP)) {
                        drain(c);
                    }
                } else {
                    echo(c);
                }
            }
        }
    }
}
