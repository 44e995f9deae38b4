package io.panamanetty.testsuite;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelHandlerAdapter;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.ChannelInputShutdownEvent;
import io.panamanetty.channel.ChannelOption;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.channel.JulCapture;
import io.panamanetty.testing.LeakCheck;
import io.panamanetty.handler.EchoHandler;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A handler that throws from a callback gets the exception in its own
 * {@code exceptionCaught}; one that throws from {@code exceptionCaught} as well is only
 * logged. Either way the loop goes on serving its other channels (and the throwing
 * channel itself, if still open), and a buffer whose {@code channelRead} threw is
 * released.
 */
@ExtendWith(LeakCheck.class)
public abstract class HandlerExceptionsScenario extends TransportScenario {
    private static final String GROUP_NAME = "handler-exceptions";
    private static final String SECONDARY = "thrown again from exceptionCaught after ";
    private static final byte[] WRITABILITY_PAYLOAD = pattern(1024, 7);

    /** The callback made to throw. */
    enum Callback {
        HANDLER_ADDED, CHANNEL_REGISTERED, CHANNEL_ACTIVE, CHANNEL_READ, CHANNEL_READ_COMPLETE,
        USER_EVENT_TRIGGERED, CHANNEL_WRITABILITY_CHANGED, CHANNEL_INACTIVE, CHANNEL_UNREGISTERED;

        /** Whether the throwing channel stays open and can still echo afterwards. */
        boolean victimStillEchoes() {
            return this != USER_EVENT_TRIGGERED && this != CHANNEL_INACTIVE && this != CHANNEL_UNREGISTERED;
        }
    }

    static Stream<Arguments> cases() {
        return Arrays.stream(Callback.values())
                .flatMap(c -> Stream.of(Arguments.of(c, false), Arguments.of(c, true)));
    }

    @ParameterizedTest(name = "{0}, exceptionCaught throws too: {1}")
    @MethodSource("cases")
    public void exceptionReachesExceptionCaughtAndTheLoopGoesOn(Callback where, boolean throwAgain) throws Exception {
        ThrowingHandler thrower = new ThrowingHandler(where, throwAgain);
        AtomicInteger accepted = new AtomicInteger();
        try (JulCapture log = new JulCapture();
             EventLoopGroup group = transport().newGroup(1, GROUP_NAME)) {
            Channel server = transport().serverBootstrap().group(group).childInitializer(ch -> {
                if (accepted.getAndIncrement() == 0) {
                    ch.pipeline().addLast("thrower", thrower);
                }
                ch.pipeline().addLast("echo", new EchoHandler());
            }).bind(transport().serverAddress()).sync().channel();
            SocketAddress port = server.localAddress();

            try (StreamPeer victim = connect(port)) {
                trigger(where, victim);
                Throwable cause = thrower.caught.get(30, TimeUnit.SECONDS);
                assertSame(thrower.thrown, cause, "exceptionCaught got the exception thrown by " + where);
                assertNotNull(thrower.caughtOn);
                assertTrue(thrower.caughtOn.getName().startsWith(GROUP_NAME),
                        "exceptionCaught ran on the event loop, not " + thrower.caughtOn.getName());

                if (where == Callback.CHANNEL_READ) {
                    Buffer dropped = thrower.thrownWith;
                    assertNotNull(dropped);
                    CompletableFuture<Integer> refCnt = new CompletableFuture<>();
                    group.next().execute(() -> refCnt.complete(dropped.refCnt()));
                    assertEquals(0, refCnt.get(30, TimeUnit.SECONDS),
                            "the buffer of the channelRead that threw was released");
                }

                // Another connection on the same (only) loop still echoes.
                try (StreamPeer other = connect(port)) {
                    byte[] payload = pattern(64 * 1024, where.ordinal());
                    other.out().write(payload);
                    other.out().flush();
                    assertArrayEquals(payload, other.in().readNBytes(payload.length));
                }

                if (where.victimStillEchoes()) {
                    byte[] again = "again".getBytes(StandardCharsets.US_ASCII);
                    byte[] expectedPrefix = switch (where) {
                        case CHANNEL_READ_COMPLETE -> "ping".getBytes(StandardCharsets.US_ASCII);
                        case CHANNEL_WRITABILITY_CHANGED -> WRITABILITY_PAYLOAD;
                        default -> new byte[0];
                    };
                    victim.out().write(again);
                    ByteArrayOutputStream expected = new ByteArrayOutputStream();
                    expected.write(expectedPrefix);
                    expected.write(again);
                    byte[] echoed = victim.in().readNBytes(expected.size());
                    assertArrayEquals(expected.toByteArray(), echoed, "the throwing channel itself still works");
                }
            }
            assertEquals(1, thrower.caughtCount.get(), "exceptionCaught called once");
            if (throwAgain) {
                String logged = log.awaitText(SECONDARY + where, 30_000);
                assertTrue(logged.contains(SECONDARY + where),
                        "the exception thrown by exceptionCaught was logged: " + logged);
            }
            server.close().sync();
        }
    }

    private static void trigger(Callback where, StreamPeer victim) throws Exception {
        OutputStream out = victim.out();
        switch (where) {
            case CHANNEL_READ, CHANNEL_READ_COMPLETE -> {
                out.write("ping".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
            case USER_EVENT_TRIGGERED -> victim.shutdownOutput();
            case CHANNEL_INACTIVE, CHANNEL_UNREGISTERED -> victim.close();
            default -> {
                // connecting is enough
            }
        }
    }

    private static StreamPeer connect(SocketAddress server) throws Exception {
        return StreamPeer.connect(server);
    }

    private static byte[] pattern(int length, int seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** Throws once from one callback, passing every other event on. */
    static final class ThrowingHandler extends ChannelHandlerAdapter {
        final Callback where;
        final boolean throwAgain;
        final CompletableFuture<Throwable> caught = new CompletableFuture<>();
        final AtomicInteger caughtCount = new AtomicInteger();
        volatile Thread caughtOn;
        volatile RuntimeException thrown;
        volatile Buffer thrownWith;
        private boolean fired;

        ThrowingHandler(Callback where, boolean throwAgain) {
            this.where = where;
            this.throwAgain = throwAgain;
        }

        private void maybeThrow(Callback callback) {
            if (callback == where && !fired) {
                fired = true;
                RuntimeException boom = new IllegalStateException("boom in " + callback);
                thrown = boom;
                throw boom;
            }
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            if (where == Callback.USER_EVENT_TRIGGERED) {
                ctx.channel().config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
            }
            maybeThrow(Callback.HANDLER_ADDED);
        }

        @Override
        public void channelRegistered(ChannelHandlerContext ctx) {
            maybeThrow(Callback.CHANNEL_REGISTERED);
            ctx.fireChannelRegistered();
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            if (where == Callback.CHANNEL_WRITABILITY_CHANGED) {
                ctx.channel().config().setOption(ChannelOption.WRITE_BUFFER_HIGH_WATER_MARK, 16);
                ctx.writeAndFlush(WRITABILITY_PAYLOAD.clone());
            }
            maybeThrow(Callback.CHANNEL_ACTIVE);
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            if (where == Callback.CHANNEL_READ && !fired) {
                thrownWith = (Buffer) message;
            }
            maybeThrow(Callback.CHANNEL_READ);
            ctx.fireChannelRead(message);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            maybeThrow(Callback.CHANNEL_READ_COMPLETE);
            ctx.fireChannelReadComplete();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof ChannelInputShutdownEvent) {
                maybeThrow(Callback.USER_EVENT_TRIGGERED);
            }
            ctx.fireUserEventTriggered(event);
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            maybeThrow(Callback.CHANNEL_WRITABILITY_CHANGED);
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            maybeThrow(Callback.CHANNEL_INACTIVE);
            ctx.fireChannelInactive();
        }

        @Override
        public void channelUnregistered(ChannelHandlerContext ctx) {
            maybeThrow(Callback.CHANNEL_UNREGISTERED);
            ctx.fireChannelUnregistered();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            caughtOn = Thread.currentThread();
            caughtCount.incrementAndGet();
            caught.complete(cause);
            if (throwAgain) {
                throw new IllegalStateException(SECONDARY + where);
            }
        }
    }
}
