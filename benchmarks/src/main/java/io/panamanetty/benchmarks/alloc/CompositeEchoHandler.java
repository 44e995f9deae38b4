package io.panamanetty.benchmarks.alloc;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.buffer.CompositeBuffer;
import io.panamanetty.channel.ChannelHandler;
import io.panamanetty.channel.ChannelHandlerContext;

/**
 * Echoes each read as a {@link CompositeBuffer} of two pooled buffers: the received buffer
 * cut to its first half, and a newly allocated one holding a copy of its second half. For
 * {@link EchoAllocationProbe}'s composite mode: the composite path, like the plain one,
 * should allocate nothing per message once warm.
 */
@ChannelHandler.Sharable
final class CompositeEchoHandler implements ChannelHandler {

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        Buffer in = (Buffer) message;
        int start = in.readerIndex();
        int end = in.writerIndex();
        int middle = start + (end - start) / 2;
        Buffer tail = ctx.alloc().allocate(end - middle);
        tail.writeBytes(in.readerIndex(middle));   // consumes [middle, end) of in
        in.readerIndex(start).writerIndex(middle);
        CompositeBuffer composite = ctx.alloc().compositeBuffer().addComponent(in.retain()).addComponent(tail);
        ctx.write(composite, ctx.voidPromise());   // the framework drops the callback's reference to in
    }
}
