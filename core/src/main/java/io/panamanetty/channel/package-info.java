/**
 * Channels, event loops, bootstraps, handlers and futures: panama-netty's public API.
 *
 * <h2>An echo server</h2>
 * <pre>{@code
 * new ServerBootstrap().bind("0.0.0.0", 8080).closeFuture().sync();
 * }</pre>
 *
 * <h2>A client with its own handler</h2>
 * <pre>{@code
 * class Printer extends ChannelHandlerAdapter {
 *     public void channelRead(ChannelHandlerContext ctx, Object msg) {
 *         System.out.print(((Buffer) msg).toString(UTF_8));   // released by the framework on return
 *     }
 * }
 * Channel ch = new Bootstrap().handler(Printer::new).connect("localhost", 8080).sync().channel();
 * ch.write("hello\n");   // sent at the end of the loop's turn even without flush()
 * ch.close().sync();
 * }</pre>
 *
 * <h2>Forwarding without copies</h2>
 * {@link io.panamanetty.channel.Splice#between} moves a TCP channel's input into another
 * channel of the same loop through a kernel pipe ({@code splice(2)}).
 *
 * <h2>Threads</h2>
 * Each channel lives on one {@link io.panamanetty.channel.EventLoop} (one platform
 * thread), which runs all its callbacks in order. Channel methods may be called from
 * any thread. Never block in a callback: use a listener on a future instead, or
 * wait only for futures of other loops.
 */
package io.panamanetty.channel;
