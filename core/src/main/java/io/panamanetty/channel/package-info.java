/**
 * The transport-neutral API: channels and their kinds ({@link io.panamanetty.channel.StreamChannel},
 * {@link io.panamanetty.channel.ServerChannel}, {@link io.panamanetty.channel.DatagramChannel}
 * and its {@link io.panamanetty.channel.DatagramPacket}s, the Unix
 * {@link io.panamanetty.channel.DomainDatagramChannel} and its
 * {@link io.panamanetty.channel.DomainDatagramPacket}s; descriptors passed over Unix sockets
 * as {@link io.panamanetty.channel.PassableDescriptor}s), the pipeline and handler API, futures,
 * options, and {@link io.panamanetty.channel.EventLoop}s driving an
 * {@link io.panamanetty.channel.IoHandler}. This package names no transport: the default
 * {@link io.panamanetty.channel.IoHandlerFactory} (epoll's) is found through
 * {@link java.util.ServiceLoader}, and the bootstraps, which sit above this package, make
 * the channels. {@link io.panamanetty.channel.EmbeddedEventLoop} runs without a thread, for
 * tests.
 *
 * <h2>Threads</h2>
 * Each channel lives on one {@link io.panamanetty.channel.EventLoop} (one platform
 * thread), which runs all its callbacks in order. Channel methods may be called from
 * any thread. Never block in a callback: use a listener on a future instead, or
 * wait only for futures of other loops.
 */
package io.panamanetty.channel;
