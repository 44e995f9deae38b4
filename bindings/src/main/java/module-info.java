/**
 * Hand-written Foreign Function and Memory bindings to the Linux socket, epoll,
 * eventfd, timerfd, pipe, mmap and io_uring API of libc
 * (io_uring through libc's {@code syscall}). No native library of our own is loaded.
 */
module io.panamanetty.bindings {
    exports io.panamanetty.bindings;
}
