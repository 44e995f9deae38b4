package io.panamanetty.handler;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.channel.ChannelHandler;
import io.panamanetty.channel.ChannelHandlerAdapter;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.DatagramPacket;

/**
 * Passes on each datagram of a coalesced {@link DatagramPacket} (one received with
 * {@code UDP_GRO} on, its {@link DatagramPacket#segmentSize()} set) as a packet of its own,
 * for handlers that want one datagram at a time; other messages pass unchanged. The pieces
 * are slices of the packet's buffer, without a copy.
 */
@ChannelHandler.Sharable
public class DatagramSegmentSplitter extends ChannelHandlerAdapter {

    /** A splitter (it keeps no state: one may serve every channel). */
    public DatagramSegmentSplitter() {
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        if (!(message instanceof DatagramPacket packet) || packet.segmentSize() == 0) {
            ctx.fireChannelRead(message);
            return;
        }
        Buffer content = packet.content();
        int segment = packet.segmentSize();
        try {
            for (int offset = content.readerIndex(); offset < content.writerIndex(); offset += segment) {
                Buffer piece = content.retainedSlice(offset, Math.min(segment, content.writerIndex() - offset));
                ctx.fireChannelRead(new DatagramPacket(piece, packet.recipient(), packet.sender()));
            }
        } finally {
            packet.release();
        }
    }
}
