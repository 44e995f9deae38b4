/**
 * The UDP echo benchmark: panama-netty's {@code udp-echo-server}, Netty 4.2's batching
 * {@code EpollDatagramChannel} echo and a JDK {@code DatagramChannel} selector echo, each
 * in its own process, measured interleaved by {@link io.panamanetty.benchmarks.udp.UdpHarness}
 * with the load from a batching C client ({@code udp_loadgen.c}: {@code sendmmsg} and
 * {@code recvmmsg}) that checks every echoed datagram whole. It shares the TCP harness's
 * process handling, CPU pinning, C compilation and chart drawing
 * ({@link io.panamanetty.benchmarks.echo}).
 */
package io.panamanetty.benchmarks.udp;
