package io.panamanetty.transport.epoll;

import io.panamanetty.channel.IoHandlerFactory;
import io.panamanetty.testsuite.TestTransport;

import java.util.EnumSet;
import java.util.Set;

/** The epoll transport, for the scenario suite: it has every feature the suite knows. */
@SuppressWarnings("exports")   // the test suite's own types, in test code patched into the module
public final class EpollTestTransport implements TestTransport {
    /** The one instance. */
    public static final EpollTestTransport INSTANCE = new EpollTestTransport();

    private EpollTestTransport() {
    }

    @Override
    public String name() {
        return "epoll";
    }

    @Override
    public IoHandlerFactory factory() {
        return new EpollIoHandlerFactory();
    }

    @Override
    public Set<Feature> unsupported() {
        return EnumSet.noneOf(Feature.class);
    }
}
