/*
 * Test wrapper (issue 18): runs a program under a seccomp filter that answers
 * io_uring_setup with EPERM, as Docker's default profile does, and allows everything else.
 *
 *   seccomp_refuse_io_uring [--enosys] PROGRAM [ARG...]
 *
 * With --enosys the answer is ENOSYS instead (a kernel built without io_uring, or a filter
 * that hides the call).
 *
 * Not a conformance probe: IoUringRefusedTest compiles it with gcc and runs a JVM under it,
 * so the refusal is the kernel's, not a property that fakes it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(__x86_64__)
#define THIS_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define THIS_ARCH AUDIT_ARCH_AARCH64
#else
#error "only x86_64 and aarch64"
#endif

int main(int argc, char **argv) {
    int first = 1;
    unsigned int answer = EPERM;
    if (argc > 1 && strcmp(argv[1], "--enosys") == 0) {
        answer = ENOSYS;
        first = 2;
    }
    if (argc <= first) {
        fprintf(stderr, "usage: %s [--enosys] PROGRAM [ARG...]\n", argv[0]);
        return 2;
    }
    struct sock_filter filter[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, THIS_ARCH, 1, 0),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_io_uring_setup, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (answer & SECCOMP_RET_DATA)),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    struct sock_fprog program = {.len = sizeof(filter) / sizeof(filter[0]), .filter = filter};
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
        perror("prctl(PR_SET_NO_NEW_PRIVS)");
        return 1;
    }
    if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &program) != 0) {
        perror("prctl(PR_SET_SECCOMP)");
        return 1;
    }
    execvp(argv[first], argv + first);
    perror("execvp");
    return 127;
}
