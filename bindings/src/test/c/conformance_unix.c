/*
 * The Unix domain socket bindings (UnixSockAddr, Ucred, UnixSockets), from the glibc
 * headers, in the format of conformance.c (see there). Kept in a file of its own for the
 * Unix socket work of issue 13 (descriptor passing adds its SCM_* values here too).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/un.h>

#define CONST(name) printf("const %s %lld\n", #name, (long long) (name))
#define TYPE(tag, type) \
    printf("size %s %zu\nalign %s %zu\n", tag, sizeof(type), tag, _Alignof(type))
#define FIELD(tag, type, field) \
    printf("offset %s.%s %zu\nfsize %s.%s %zu\n", tag, #field, offsetof(type, field), \
           tag, #field, sizeof(((type *) 0)->field))

static void sockaddr_un(void) {
    TYPE("sockaddr_un", struct sockaddr_un);
    FIELD("sockaddr_un", struct sockaddr_un, sun_family);
    FIELD("sockaddr_un", struct sockaddr_un, sun_path);
    /* UnixSockAddr.MAX_NAME_BYTES: sun_path less the NUL that ends a pathname or starts an abstract name. */
    printf("const MAX_NAME_BYTES %zu\n", sizeof(((struct sockaddr_un *) 0)->sun_path) - 1);
}

static void credentials(void) {
    CONST(SO_PEERCRED);
    TYPE("ucred", struct ucred);
    FIELD("ucred", struct ucred, pid);
    FIELD("ucred", struct ucred, uid);
    FIELD("ucred", struct ucred, gid);
}

static void rights(void) {
    /* ScmRights: descriptor passing (SCM_RIGHTS) and the control-message arithmetic for ints. */
    CONST(SCM_RIGHTS); CONST(MSG_CMSG_CLOEXEC); CONST(F_DUPFD_CLOEXEC); CONST(SO_ACCEPTCONN);
    printf("const CMSG_LEN_ONE_FD %zu\n", (size_t) CMSG_LEN(sizeof(int)));
    printf("const CMSG_SPACE_ONE_FD %zu\n", (size_t) CMSG_SPACE(sizeof(int)));
    printf("const CMSG_SPACE_THREE_FDS %zu\n", (size_t) CMSG_SPACE(3 * sizeof(int)));
}

static void errnos(void) {
    /* Errno values met by Unix socket paths (the rest are in conformance.c). */
    CONST(ENOTDIR); CONST(ENAMETOOLONG); CONST(ELOOP); CONST(EROFS); CONST(EPROTOTYPE);
}

int main(void) {
    sockaddr_un();
    credentials();
    rights();
    errnos();
    return ferror(stdout) ? 1 : 0;
}
