/**
 * Channel groups: a thread-safe set of open channels ({@link io.panamanetty.channel.group.ChannelGroup},
 * made as a {@link io.panamanetty.channel.group.DefaultChannelGroup}) that forgets each channel as it
 * closes, and writes, flushes or closes all of its channels, or those a
 * {@link io.panamanetty.channel.group.ChannelMatcher} picks, with one aggregate
 * {@link io.panamanetty.channel.group.ChannelGroupFuture}. A buffer written to a group is shared, not
 * copied: each channel gets a view of its own holding one reference.
 * <pre>{@code
 * ChannelGroup everyone = new DefaultChannelGroup("chat");
 * // in a child handler: everyone.add(ctx.channel()) on channelActive
 * everyone.writeAndFlush(alloc.copyOf("hello all\n", UTF_8))
 *         .addListener(f -> { if (!f.isSuccess()) log(f.cause().failures()); });
 * everyone.close().sync();
 * }</pre>
 * Like {@code io.panamanetty.channel}, this package knows no transport.
 */
package io.panamanetty.channel.group;
