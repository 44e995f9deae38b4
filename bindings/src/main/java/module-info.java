/**
 * Hand-written Foreign Function and Memory bindings to the Linux socket, epoll,
 * eventfd, timerfd and pipe API of libc. No native library of our own is loaded.
 */
module io.panamanetty.bindings {
    exports io.panamanetty.bindings;
}
