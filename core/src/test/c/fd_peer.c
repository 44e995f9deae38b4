/*
 * An outside peer for the descriptor-passing tests (SCM_RIGHTS over a Unix domain stream
 * socket), built by the test with gcc. Blocking sockets, plain libc; exit 2 on bad usage,
 * 3 on a failed call (named on stderr).
 *
 *   fd_peer recv PATH        listen on PATH, accept one connection, receive one descriptor
 *                            (with room for 4), read the file through it from offset 0 and
 *                            write its contents back over the connection, then close.
 *   fd_peer send PATH FILE N connect to PATH and send N descriptors of FILE (opened N times)
 *                            in one message with the byte 'X', then "after", then wait for
 *                            the peer to close, copying what it sends to stdout.
 *   fd_peer dgram PATH       bind a datagram socket to PATH, receive one datagram with a
 *                            descriptor, read the file through it and send the datagram's
 *                            bytes, ':' and the file's contents back to the sender.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static void die(const char *what) {
    perror(what);
    exit(3);
}

static struct sockaddr_un address(const char *path) {
    struct sockaddr_un sun;
    memset(&sun, 0, sizeof sun);
    sun.sun_family = AF_UNIX;
    if (strlen(path) >= sizeof sun.sun_path) {
        fprintf(stderr, "path too long: %s\n", path);
        exit(2);
    }
    strcpy(sun.sun_path, path);
    return sun;
}

static void write_all(int fd, const char *data, size_t length) {
    while (length > 0) {
        ssize_t n = write(fd, data, length);
        if (n < 0) {
            die("write");
        }
        data += n;
        length -= (size_t) n;
    }
}

static int receive(const char *path) {
    struct sockaddr_un sun = address(path);
    int listener = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (listener < 0 || bind(listener, (struct sockaddr *) &sun, sizeof sun) < 0 || listen(listener, 1) < 0) {
        die("socket/bind/listen");
    }
    printf("listening\n");
    fflush(stdout);
    int connection = accept(listener, NULL, NULL);
    if (connection < 0) {
        die("accept");
    }
    char data[256];
    union { char buf[CMSG_SPACE(4 * sizeof(int))]; struct cmsghdr align; } control;
    int passed = -1;
    while (passed < 0) {
        struct iovec iov = { data, sizeof data };
        struct msghdr msg = { 0 };
        msg.msg_iov = &iov;
        msg.msg_iovlen = 1;
        msg.msg_control = control.buf;
        msg.msg_controllen = sizeof control.buf;
        ssize_t n = recvmsg(connection, &msg, MSG_CMSG_CLOEXEC);
        if (n < 0) {
            die("recvmsg");
        }
        if (n == 0) {
            fprintf(stderr, "end of stream before a descriptor came\n");
            exit(3);
        }
        for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c != NULL; c = CMSG_NXTHDR(&msg, c)) {
            if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
                memcpy(&passed, CMSG_DATA(c), sizeof passed);
            }
        }
    }
    char contents[4096];
    ssize_t length = pread(passed, contents, sizeof contents, 0);
    if (length < 0) {
        die("pread of the passed descriptor");
    }
    write_all(connection, contents, (size_t) length);
    close(passed);
    close(connection);
    close(listener);
    return 0;
}

static int send_descriptors(const char *path, const char *file, int count) {
    if (count < 1 || count > 64) {
        fprintf(stderr, "1 to 64 descriptors, not %d\n", count);
        return 2;
    }
    struct sockaddr_un sun = address(path);
    int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (s < 0 || connect(s, (struct sockaddr *) &sun, sizeof sun) < 0) {
        die("socket/connect");
    }
    int fds[64];
    for (int i = 0; i < count; i++) {
        fds[i] = open(file, O_RDONLY | O_CLOEXEC);
        if (fds[i] < 0) {
            die("open");
        }
    }
    union { char buf[CMSG_SPACE(64 * sizeof(int))]; struct cmsghdr align; } control;
    memset(&control, 0, sizeof control);
    char x = 'X';
    struct iovec iov = { &x, 1 };
    struct msghdr msg = { 0 };
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control.buf;
    msg.msg_controllen = CMSG_SPACE(count * sizeof(int));
    struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(count * sizeof(int));
    memcpy(CMSG_DATA(c), fds, count * sizeof(int));
    if (sendmsg(s, &msg, MSG_NOSIGNAL) != 1) {
        die("sendmsg");
    }
    for (int i = 0; i < count; i++) {
        close(fds[i]);
    }
    write_all(s, "after", 5);
    shutdown(s, SHUT_WR);
    char buf[4096];
    ssize_t n;
    while ((n = read(s, buf, sizeof buf)) > 0) {
        fwrite(buf, 1, (size_t) n, stdout);
    }
    close(s);
    return n < 0 ? 3 : 0;
}

static int datagram(const char *path) {
    struct sockaddr_un sun = address(path);
    int s = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (s < 0 || bind(s, (struct sockaddr *) &sun, sizeof sun) < 0) {
        die("socket/bind");
    }
    printf("bound\n");
    fflush(stdout);
    char data[4096];
    union { char buf[CMSG_SPACE(4 * sizeof(int))]; struct cmsghdr align; } control;
    struct sockaddr_un from;
    struct iovec iov = { data, sizeof data };
    struct msghdr msg = { 0 };
    msg.msg_name = &from;
    msg.msg_namelen = sizeof from;
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control.buf;
    msg.msg_controllen = sizeof control.buf;
    ssize_t n = recvmsg(s, &msg, MSG_CMSG_CLOEXEC);
    if (n < 0) {
        die("recvmsg");
    }
    int passed = -1;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c != NULL; c = CMSG_NXTHDR(&msg, c)) {
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
            memcpy(&passed, CMSG_DATA(c), sizeof passed);
        }
    }
    if (passed < 0) {
        fprintf(stderr, "the datagram came without a descriptor\n");
        return 3;
    }
    char reply[8192];
    size_t length = (size_t) n;
    memcpy(reply, data, length);
    reply[length++] = ':';
    ssize_t contents = pread(passed, reply + length, sizeof reply - length, 0);
    if (contents < 0) {
        die("pread of the passed descriptor");
    }
    length += (size_t) contents;
    if (sendto(s, reply, length, 0, (struct sockaddr *) &from, msg.msg_namelen) < 0) {
        die("sendto");
    }
    close(passed);
    close(s);
    unlink(path);
    return 0;
}

int main(int argc, char **argv) {
    if (argc == 3 && strcmp(argv[1], "recv") == 0) {
        return receive(argv[2]);
    }
    if (argc == 5 && strcmp(argv[1], "send") == 0) {
        return send_descriptors(argv[2], argv[3], atoi(argv[4]));
    }
    if (argc == 3 && strcmp(argv[1], "dgram") == 0) {
        return datagram(argv[2]);
    }
    fprintf(stderr, "usage: fd_peer recv PATH | fd_peer send PATH FILE N | fd_peer dgram PATH\n");
    return 2;
}
