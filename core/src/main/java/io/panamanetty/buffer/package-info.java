/**
 * Off-heap, reference-counted byte buffers: {@link io.panamanetty.buffer.Buffer}, the
 * type channel handlers read and write, and the {@link io.panamanetty.buffer.BufferAllocator}s
 * that make them.
 *
 * <p>A buffer's memory is native (outside the Java heap), so the event loop can hand its
 * address straight to {@code read}/{@code write} system calls, and it is freed as soon as
 * the buffer's reference count drops to 0 rather than when the garbage collector gets to
 * it. Who releases which reference is settled by the ownership rule documented on
 * {@link io.panamanetty.buffer.Buffer}. {@link io.panamanetty.buffer.BufferStatistics}
 * counts the buffers not yet released, across all allocators, so tests can check for
 * leaks deterministically.
 */
package io.panamanetty.buffer;
