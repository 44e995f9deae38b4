/**
 * FFM bindings to libc, in the shape jextract produces: one class per kernel
 * facility ({@link io.panamanetty.bindings.Sockets}, {@link io.panamanetty.bindings.Epoll},
 * {@link io.panamanetty.bindings.EventFd}, {@link io.panamanetty.bindings.TimerFd},
 * {@link io.panamanetty.bindings.FileIo}, {@link io.panamanetty.bindings.Pipes},
 * {@link io.panamanetty.bindings.ResourceLimits}, {@link io.panamanetty.bindings.MemoryMap},
 * {@link io.panamanetty.bindings.IoUring} and its structs; {@link io.panamanetty.bindings.SockOpt}
 * for the socket options beyond the everyday ones, {@link io.panamanetty.bindings.TcpInfoStruct};
 * {@link io.panamanetty.bindings.UnixSockAddr}, {@link io.panamanetty.bindings.UnixSockets} and
 * {@link io.panamanetty.bindings.Ucred} for Unix domain sockets),
 * each holding the struct layouts, constants and method handles of its calls.
 * Above the io_uring calls sit {@link io.panamanetty.bindings.IoUringRing} (one ring and
 * its mapped queues), {@link io.panamanetty.bindings.ProvidedBufferRing} (a group of
 * receive buffers) and {@link io.panamanetty.bindings.IoUringSupport} (what the kernel offers).
 *
 * <h2>Return convention</h2>
 * Calls that can fail return what the C function returns on success, and
 * {@code -errno} on failure (the errno is captured by the downcall itself, so no
 * other libc call can overwrite it). {@link io.panamanetty.bindings.Errno#check}
 * turns a negative result into a {@link io.panamanetty.bindings.NativeIoException}
 * naming the call, its arguments, the errno symbol and its text. The hot calls
 * ({@code read}, {@code write}, {@code readv}, {@code writev}, {@code epoll_wait})
 * also come in raw-address variants taking a {@code long} address, which allocate
 * nothing on the heap once JIT-compiled.
 */
package io.panamanetty.bindings;
