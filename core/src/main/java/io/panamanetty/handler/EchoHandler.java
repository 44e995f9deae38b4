package io.panamanetty.handler;

import io.panamanetty.channel.ChannelHandler;
import io.panamanetty.channel.ChannelHandlerAdapter;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.DatagramChannel;
import io.panamanetty.channel.DomainDatagramChannel;
import io.panamanetty.channel.DomainDatagramPacket;
import io.panamanetty.channel.DatagramPacket;

/**
 * Writes back everything it reads, without copying. While the channel is not
 * writable (the peer reads slower than it sends) it stops reading, so a client that
 * sends without ever reading cannot grow the server's memory: TCP flow control
 * holds it back instead.
 *
 * <p>On a {@link DatagramChannel} each {@link DatagramPacket} goes back to its sender
 * ({@linkplain DatagramPacket#turnAround() turned around}, segment size and all),
 * and an error (an ICMP error from a peer, a datagram too large) does not close the
 * channel: one peer's trouble is not the others'. On a Unix domain datagram channel, each
 * {@link DomainDatagramPacket} goes back to its sender, unless that never bound (it has no
 * address to answer).
 */
@ChannelHandler.Sharable
public class EchoHandler extends ChannelHandlerAdapter {

    /** A new echo handler (keeps no state; one per channel or shared, as you like). */
    public EchoHandler() {
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        if (message instanceof DatagramPacket packet) {
            ctx.write(packet.turnAround(), ctx.voidPromise());   // the same object: nothing allocated
            return;
        }
        if (message instanceof DomainDatagramPacket packet) {
            if (packet.sender().isUnnamed()) {
                packet.release();   // from a socket that never bound: there is no one to answer
            } else {
                ctx.write(packet.turnAround(), ctx.voidPromise());   // a Unix datagram goes back the same way
            }
            return;
        }
        ctx.write(message, ctx.voidPromise());   // nobody waits on an echo: no future per message
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        ctx.channel().config().setAutoRead(ctx.channel().isWritable());
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (ctx.channel() instanceof DatagramChannel || ctx.channel() instanceof DomainDatagramChannel) {
            return;   // that datagram or peer failed; the socket serves the others
        }
        ctx.close();
    }
}
