package io.panamanetty.examples;

import io.panamanetty.channel.StreamChannel;

import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelFuture;
import io.panamanetty.channel.ChannelHandlerAdapter;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.ChannelInputShutdownEvent;

import java.lang.System.Logger.Level;

/**
 * One side of a forwarded connection: what its channel reads goes to the channel of
 * the paired handler, the other side. The same logic serves both directions, so the
 * accepted channel and the upstream channel each get one of these, paired once both
 * exist. Both channels are on the same event loop, so the two handlers call each
 * other directly, without locks or hand-offs.
 *
 * <ul>
 *   <li><b>Backpressure</b>: when this channel turns unwritable (its peer is slow),
 *       the other side stops reading until this one drains below its low water
 *       mark; what is queued is bounded by the high water mark plus one read.</li>
 *   <li><b>Half-close</b>: end of input on this side shuts the output of the other
 *       side down once the bytes queued there are sent; a channel whose input and
 *       output are both done is closed.</li>
 *   <li><b>Close</b>: when this channel closes, the other side closes once the
 *       bytes queued there are sent.</li>
 * </ul>
 * Both channels need {@link io.panamanetty.channel.ChannelOption#ALLOW_HALF_CLOSURE}.
 */
class ForwardingHandler extends ChannelHandlerAdapter {
    static final System.Logger LOG = System.getLogger(Forwarder.class.getName());
    private static final byte[] NOTHING = new byte[0];

    private Channel channel;
    private ForwardingHandler other;
    private boolean inputDone;
    private boolean outputDone;
    private ChannelFuture outputShutdown;

    /** Pairs two handlers: from now on each forwards to the other's channel. */
    static void pair(ForwardingHandler a, ForwardingHandler b) {
        a.other = b;
        b.other = a;
    }

    /** True once paired. */
    final boolean isPaired() {
        return other != null;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        channel = ctx.channel();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        if (other == null || !other.channel.isOpen()) {
            return;   // nobody to give it to: the framework releases the buffer
        }
        other.channel.write(message);   // hands the buffer over, no copy
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (other != null) {
            other.channel.flush();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (other != null && other.channel.isOpen()) {
            // Reading on the other side fills this channel's queue: read only while it drains.
            other.channel.config().setAutoRead(channel.isWritable());
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event != ChannelInputShutdownEvent.INSTANCE) {
            ctx.fireUserEventTriggered(event);
            return;
        }
        inputDone = true;
        if (other != null) {
            other.shutdownOutputAfterFlush();
        } else {
            ctx.close();
        }
        closeIfBothDone();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (other != null) {
            other.closeAfterFlush();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(Level.DEBUG, () -> "closing " + channel + ": " + cause);
        ctx.close();
    }

    /** The other side has no more to send: send FIN here after the queued bytes. */
    private void shutdownOutputAfterFlush() {
        if (outputShutdown != null || !channel.isOpen()) {
            return;
        }
        outputShutdown = ((StreamChannel) channel).shutdownOutput();
        outputShutdown.addListener(f -> {
            if (f.isSuccess()) {
                outputDone = true;
                closeIfBothDone();
            } else {
                channel.close();
            }
        });
    }

    /** The other side closed: close this one once what is queued has been sent. */
    private void closeAfterFlush() {
        if (!channel.isOpen()) {
            return;
        }
        if (outputShutdown != null) {
            // Writes after a shutdown request fail at once: wait for the FIN instead.
            outputShutdown.addListener(f -> channel.close());
        } else if (channel.isActive()) {
            channel.writeAndFlush(NOTHING).addListener(f -> channel.close());
        } else {
            channel.close();
        }
    }

    private void closeIfBothDone() {
        if (inputDone && outputDone && channel.isOpen()) {
            channel.close();
        }
    }
}
