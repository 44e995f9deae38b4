package io.panamanetty.transport.uring;

import io.panamanetty.channel.IoHandlerFactory;
import io.panamanetty.testsuite.TestTransport;

import java.util.EnumSet;
import java.util.Set;

/**
 * The io_uring transport, for the scenario suite: TCP channels only. Splice, file regions and
 * datagrams are declared unsupported: the scenarios that need them are not run on io_uring (no
 * subclass here; a scenario reaching one of them anyway stops, saying so), so nothing skips.
 * Unix domain sockets are not offered at all (no io_uring Unix test transport exists).
 */
@SuppressWarnings("exports")
public final class IoUringTestTransport implements TestTransport {
    /** The one instance. */
    public static final IoUringTestTransport INSTANCE = new IoUringTestTransport();

    private IoUringTestTransport() {
    }

    @Override
    public String name() {
        return "io_uring";
    }

    @Override
    public IoHandlerFactory factory() {
        return new IoUringIoHandlerFactory();
    }

    @Override
    public Set<Feature> unsupported() {
        return EnumSet.of(Feature.SPLICE, Feature.FILE_REGION, Feature.DATAGRAM);
    }

    @Override
    public long buffersLentToTheKernel() {
        return ReceiveBuffers.lentNow();
    }

    @Override
    public long bytesLentToTheKernel() {
        return ReceiveBuffers.lentBytesNow();
    }
}
