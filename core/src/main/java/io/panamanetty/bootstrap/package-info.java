/**
 * {@link io.panamanetty.bootstrap.ServerBootstrap} and
 * {@link io.panamanetty.bootstrap.Bootstrap}: set up, bind and connect channels of the
 * groups' transport (epoll by default), with TLS conveniences.
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
 */
package io.panamanetty.bootstrap;
