/**
 * The transport-neutral API: channels and their kinds ({@link io.panamanetty.channel.StreamChannel},
 * {@link io.panamanetty.channel.ServerChannel}), the pipeline and handler API, futures,
 * options, and {@link io.panamanetty.channel.EventLoop}s driving an
 * {@link io.panamanetty.channel.IoHandler}. This package names no transport: epoll
 * ({@code io.panamanetty.transport.epoll}) is found through {@link java.util.ServiceLoader}
 * as the default {@link io.panamanetty.channel.IoHandlerFactory}; the bootstraps
 * ({@code io.panamanetty.bootstrap}) make channels.
 *
 * <h2>Threads</h2>
 * Each channel lives on one {@link io.panamanetty.channel.EventLoop} (one platform
 * thread), which runs all its callbacks in order. Channel methods may be called from
 * any thread. Never block in a callback: use a listener on a future instead, or
 * wait only for futures of other loops.
 */
package io.panamanetty.channel;
