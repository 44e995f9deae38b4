/*
 * The reference line of the echo harness: the plainest fast echo server C allows. One
 * thread, level-triggered epoll, non-blocking sockets with TCP_NODELAY, one read of up to
 * 64 KiB per readiness event and the bytes written straight back; what the socket does
 * not take waits in a per-connection buffer while reading that connection pauses (so a
 * slow reader costs bounded memory), and reading resumes once it is drained.
 *
 *   echo_server [--workers N]     (N is accepted for the harness's sake; always one thread)
 *
 * Listens on 127.0.0.1 on a free port, prints "PORT <n>" when ready, and exits when its
 * standard input reaches end of file (the harness closes it).
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
#include <unistd.h>

#define CHUNK (64 * 1024)
#define STDIN_TAG ((void *) 1)

struct connection {
    int fd;
    char *pending;      /* bytes the socket has not taken yet, or NULL */
    size_t offset, length;
};

static int epfd;
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
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
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

int main(void) {
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
    epfd = epoll_create1(EPOLL_CLOEXEC);
    if (epfd < 0) {
        fail("epoll_create1");
    }
    watch(EPOLL_CTL_ADD, listener, EPOLLIN, NULL);
    watch(EPOLL_CTL_ADD, STDIN_FILENO, EPOLLIN, STDIN_TAG);
    printf("PORT %d\n", ntohs(address.sin_port));
    fflush(stdout);
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
