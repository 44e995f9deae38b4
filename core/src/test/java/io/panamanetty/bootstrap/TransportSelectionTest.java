package io.panamanetty.bootstrap;

import io.panamanetty.channel.Channel;
import io.panamanetty.channel.EventLoop;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.channel.IoHandler;
import io.panamanetty.channel.IoHandlerFactory;
import io.panamanetty.channel.ServerChannel;
import io.panamanetty.channel.StreamChannel;
import io.panamanetty.transport.epoll.EpollIoHandler;
import io.panamanetty.transport.epoll.EpollIoHandlerFactory;
import io.panamanetty.testing.IdleIoHandler;
import io.panamanetty.testing.LeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How a group's transport is chosen, and how the bootstraps follow it. */
@ExtendWith(LeakCheck.class)
class TransportSelectionTest {
    private static final int TIMEOUT_SECONDS = 30;

    @Test
    void aPlainGroupRunsTheDefaultTransportFoundByTheServiceLoader() {
        try (EventLoopGroup group = new EventLoopGroup(1, "default-transport")) {
            assertInstanceOf(EpollIoHandlerFactory.class, group.ioHandlerFactory());
            assertInstanceOf(EpollIoHandlerFactory.class, group.next().ioHandlerFactory());
        }
    }

    @Test
    void theFactoryRunsOnEachLoopsOwnThread() {
        List<String> threads = new CopyOnWriteArrayList<>();
        IoHandlerFactory recording = new RecordingEpoll(threads);
        try (EventLoopGroup group = new EventLoopGroup(2, "own-thread", recording)) {
            assertEquals(List.of("own-thread-0", "own-thread-1"), threads.stream().sorted().toList());
            for (EventLoop loop : group.loops()) {
                assertInstanceOf(RecordingEpoll.class, loop.ioHandlerFactory());
            }
        }
    }

    @Test
    void aFactoryThatFailsFailsTheGroupAndLeavesNoThreadBehind() throws Exception {
        IoHandlerFactory failing = () -> {
            throw new IOException("epoll_create1 failed: EMFILE (Too many open files)");
        };
        UncheckedIOException failure = assertThrows(UncheckedIOException.class,
                () -> new EventLoopGroup(2, "failing", failing));
        assertTrue(failure.getMessage().contains("failing") && failure.getMessage().contains("EMFILE"),
                failure.getMessage());
        assertEquals(0, threadsNamed("failing-"), "a loop thread outlived the failed group");
    }

    @Test
    void whenOnlyOneLoopCannotStartTheOthersHaveEndedBeforeTheGroupFails() {
        AtomicInteger calls = new AtomicInteger();
        IoHandlerFactory secondFails = () -> {
            if (calls.incrementAndGet() == 2) {
                throw new IOException("eventfd failed: EMFILE (Too many open files)");
            }
            return new EpollIoHandlerFactory().newHandler();
        };
        assertThrows(UncheckedIOException.class, () -> new EventLoopGroup(3, "second-fails", secondFails));
        assertEquals(0, threadsNamed("second-fails-"), "the loops that did start are still running");
    }

    @Test
    void aFactoryThatReturnsNothingOrThrowsUndeclaredFailsTheGroupInsteadOfHanging() {
        IllegalStateException none = assertThrows(IllegalStateException.class,
                () -> new EventLoopGroup(1, "null-handler", () -> null));
        assertTrue(none.getMessage().contains("made no handler"), none.getMessage());
        IoHandlerFactory sneaky = () -> {
            throw new AssertionError("not an IOException");
        };
        assertThrows(IllegalStateException.class, () -> new EventLoopGroup(1, "sneaky", sneaky));
        assertEquals(0, threadsNamed("null-handler-") + threadsNamed("sneaky-"));
    }

    @Test
    void anInterruptedCallerStillGetsItsGroupAndKeepsItsInterrupt() {
        Thread.currentThread().interrupt();
        try (EventLoopGroup group = new EventLoopGroup(1, "interrupted")) {
            assertTrue(Thread.interrupted(), "the caller's interrupt was swallowed");
            assertEquals(1, group.loops().size());
        }
    }

    @Test
    void bootstrapsServeAndConnectOnAGroupMadeForEpoll() throws Exception {
        try (EventLoopGroup group = new EventLoopGroup(1, "epoll-named", new EpollIoHandlerFactory())) {
            Channel server = new ServerBootstrap().group(group).transport(new EpollIoHandlerFactory())
                    .bind("127.0.0.1", 0).sync().channel();
            assertInstanceOf(ServerChannel.class, server);
            int port = ((InetSocketAddress) server.localAddress()).getPort();
            Channel client = new Bootstrap().group(group).connect("127.0.0.1", port).sync().channel();
            assertInstanceOf(StreamChannel.class, client);
            try (Socket socket = new Socket("127.0.0.1", port)) {
                socket.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
                socket.setSoTimeout(TIMEOUT_SECONDS * 1000);
                InputStream in = socket.getInputStream();
                assertArrayEquals("ping".getBytes(StandardCharsets.US_ASCII), in.readNBytes(4));
            }
            client.close().sync();
            server.close().sync();
        }
    }

    @Test
    void aBootstrapOwnGroupTakesTheTransportAskedFor() throws Exception {
        Channel server = new ServerBootstrap().transport(new EpollIoHandlerFactory()).bind("127.0.0.1", 0).sync().channel();
        assertInstanceOf(EpollIoHandlerFactory.class, server.eventLoop().ioHandlerFactory());
        server.close().sync();
        server.eventLoop().parent().terminationFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);   // its own groups end with it
    }

    @Test
    void aWrappedEpollFactoryIsStillEpollToTheBootstraps() throws Exception {
        try (EventLoopGroup wrapped = new EventLoopGroup(1, "wrapped", new RecordingEpoll(new CopyOnWriteArrayList<>()))) {
            Channel server = new ServerBootstrap().group(wrapped).bind("127.0.0.1", 0).sync().channel();
            int port = ((InetSocketAddress) server.localAddress()).getPort();
            Channel client = new Bootstrap().group(wrapped).connect("127.0.0.1", port).sync().channel();
            client.close().sync();
            server.close().sync();
        }
    }

    @Test
    void aGroupOfAnotherTransportIsRefusedWithTheReason() {
        try (EventLoopGroup foreign = new EventLoopGroup(1, "foreign", IdleIoHandler::new);
             EventLoopGroup epoll = new EventLoopGroup(1, "epoll")) {
            IllegalArgumentException noTcp = assertThrows(IllegalArgumentException.class,
                    () -> new Bootstrap().group(foreign).connect("127.0.0.1", 9));
            assertTrue(noTcp.getMessage().contains("without TCP channels"), noTcp.getMessage());
            IllegalArgumentException mismatch = assertThrows(IllegalArgumentException.class,
                    () -> new ServerBootstrap().group(epoll).transport(IdleIoHandler::new).bind("127.0.0.1", 0));
            assertTrue(mismatch.getMessage().contains("not the transport asked for"), mismatch.getMessage());
            IllegalArgumentException mixed = assertThrows(IllegalArgumentException.class,
                    () -> new ServerBootstrap().group(epoll, foreign).bind("127.0.0.1", 0));
            assertTrue(mixed.getMessage().contains("without TCP channels"), mixed.getMessage());
        }
    }

    private static long threadsNamed(String prefix) {   // counted right after the constructor: no waiting
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith(prefix)).count();
    }

    /** Epoll behind a factory of its own, recording where its handlers are made. */
    private record RecordingEpoll(List<String> threads) implements IoHandlerFactory {
        @Override
        public IoHandler newHandler() throws IOException {
            threads.add(Thread.currentThread().getName());
            IoHandler handler = new EpollIoHandlerFactory().newHandler();
            assertInstanceOf(EpollIoHandler.class, handler);
            return handler;
        }
    }
}
