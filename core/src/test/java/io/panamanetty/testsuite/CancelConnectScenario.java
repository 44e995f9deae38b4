package io.panamanetty.testsuite;

import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelFuture;
import io.panamanetty.channel.ChannelOption;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.testing.LeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.InetSocketAddress;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cancelling a connect that is still pending, through its future or by closing the
 * channel: the future is cancelled, the socket closed (LeakCheck counts the descriptors),
 * and a connect that already succeeded cannot be cancelled.
 */
@ExtendWith(LeakCheck.class)
public abstract class CancelConnectScenario extends TransportScenario {
    private static final int TIMEOUT_SECONDS = 30;

    @Test
    public void cancelEndsAPendingConnectAndClosesItsSocket() throws Exception {
        UnansweredListener.run(address -> {
            try (EventLoopGroup group = transport().newGroup(1, "cancel-connect")) {
                ChannelFuture future = pendingConnect(group, address);
                assertTrue(future.cancel(true), "a pending connect can be cancelled");
                assertCancelled(future);
                assertFalse(future.cancel(true), "cancelled once only");
            }
        });
    }

    @Test
    public void closingAConnectingChannelCancelsItsConnect() throws Exception {
        UnansweredListener.run(address -> {
            try (EventLoopGroup group = transport().newGroup(1, "close-connecting")) {
                ChannelFuture future = pendingConnect(group, address);
                future.channel().close().sync();
                assertCancelled(future);
            }
        });
    }

    @Test
    public void aConnectThatSucceededCannotBeCancelled() throws Exception {
        try (EventLoopGroup group = transport().newGroup(1, "connected")) {
            Channel server = transport().serverBootstrap().group(group).bind("127.0.0.1", 0).sync().channel();
            ChannelFuture connect = transport().bootstrap().group(group).connect(
                    (InetSocketAddress) server.localAddress()).sync();
            assertFalse(connect.cancel(true));
            assertFalse(connect.isCancelled());
            assertTrue(connect.isSuccess());
            assertTrue(connect.channel().isActive());
            connect.channel().close().sync();
            server.close().sync();
        }
    }

    private ChannelFuture pendingConnect(EventLoopGroup group, InetSocketAddress address) throws Exception {
        ChannelFuture future = transport().bootstrap().group(group)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 120_000)
                .connect(address);
        // the listener answers no SYN, so this connect stays pending until cancelled
        assertFalse(future.await(200, TimeUnit.MILLISECONDS), "the connect should be pending: " + future);
        assertTrue(future.channel().isOpen());
        return future;
    }

    private static void assertCancelled(ChannelFuture future) throws InterruptedException {
        assertTrue(future.isDone());
        assertTrue(future.isCancelled(), String.valueOf(future));
        assertFalse(future.isSuccess());
        assertInstanceOf(CancellationException.class, future.cause());
        assertThrows(CancellationException.class, future::sync);
        assertTrue(future.channel().closeFuture().await(TIMEOUT_SECONDS, TimeUnit.SECONDS), "channel not closed");
        assertFalse(future.channel().isOpen());
        assertFalse(future.channel().isActive());
    }
}
