package io.panamanetty.transport.epoll;

import io.panamanetty.bindings.IoVec;
import io.panamanetty.channel.internal.OutboundBuffer;

import java.lang.foreign.MemorySegment;

/** Writes an outbound queue's ranges into one loop's scratch iovec array, for {@code writev}. */
final class IovecFiller implements OutboundBuffer.Sink {
    private final MemorySegment iovecs;

    IovecFiller(MemorySegment iovecs) {
        this.iovecs = iovecs;
    }

    @Override
    public void put(int index, long address, int length) {
        IoVec.set(iovecs, index, address, length);
    }
}
