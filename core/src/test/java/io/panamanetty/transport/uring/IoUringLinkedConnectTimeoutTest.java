package io.panamanetty.transport.uring;

import io.panamanetty.bindings.IoUringSupport;
import io.panamanetty.bootstrap.Bootstrap;
import io.panamanetty.channel.ChannelFuture;
import io.panamanetty.channel.ChannelOption;
import io.panamanetty.channel.ConnectTimeoutException;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.testing.LeakCheck;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A CONNECT and its LINK_TIMEOUT go to the kernel together even when the SQ fills between
 * them: on a loop whose SQ has 4 entries, one connect without a timeout (one SQE) and then
 * many with one (two SQEs each) are started in one turn, so without reserving both SQEs
 * first some pairs would straddle a full SQ (the CONNECT sent alone, its timeout refused with
 * EINVAL, the connect never timing out). The target is a loopback listener with a full accept
 * queue: its SYNs are dropped, every connect hangs until its timeout.
 */
@ExtendWith(LeakCheck.class)
@Timeout(120)
class IoUringLinkedConnectTimeoutTest {
    private static final int CONNECTS = 21;
    private static final long WAIT_SECONDS = 60;

    @BeforeAll
    static void ioUringWorksHere() {
        IoUringRequired.check();
    }

    @Test
    void everyConnectOfATinySqRingTimesOut() throws Exception {
        int flags = IoUringIoHandler.setupFlags(IoUringSupport.detect().setupFlags());
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        try (ServerSocket listener = new ServerSocket(0, 1, loopback);
             EventLoopGroup group = new EventLoopGroup(1, "uring-linked", () -> new IoUringIoHandler(4, 8, flags))) {
            List<Socket> fillers = new ArrayList<>();
            try {
                fillAcceptQueue(listener, fillers);
                InetSocketAddress target = new InetSocketAddress(loopback, listener.getLocalPort());
                CompletableFuture<List<ChannelFuture>> started = new CompletableFuture<>();
                group.next().execute(() -> {   // all in one turn of the loop
                    List<ChannelFuture> futures = new ArrayList<>();
                    futures.add(new Bootstrap().group(group).option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 0)
                            .connect(target));   // no timeout: one SQE, so the pairs after it are at odd slots
                    for (int i = 0; i < CONNECTS; i++) {
                        futures.add(new Bootstrap().group(group).option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 1000)
                                .connect(target));
                    }
                    started.complete(futures);
                });
                List<ChannelFuture> futures = started.get(WAIT_SECONDS, TimeUnit.SECONDS);
                try {
                    for (int i = 1; i < futures.size(); i++) {
                        ChannelFuture future = futures.get(i);
                        assertTrue(future.await(WAIT_SECONDS, TimeUnit.SECONDS),
                                "connect " + i + " of " + CONNECTS + " never timed out (its LINK_TIMEOUT lost?)");
                        assertInstanceOf(ConnectTimeoutException.class, future.cause(), "connect " + i);
                        assertTrue(future.channel().closeFuture().await(WAIT_SECONDS, TimeUnit.SECONDS));
                    }
                    assertTrue(!futures.get(0).isDone(), "the connect without a timeout is still pending");
                } finally {
                    futures.get(0).channel().close().await(WAIT_SECONDS, TimeUnit.SECONDS);
                }
            } finally {
                for (Socket socket : fillers) {
                    socket.close();
                }
            }
        }
    }

    /** Connects until one times out: the accept queue is full and further SYNs are dropped. */
    private static void fillAcceptQueue(ServerSocket listener, List<Socket> fillers) throws Exception {
        for (int i = 0; i < 32; i++) {
            Socket socket = new Socket();
            try {
                socket.connect(listener.getLocalSocketAddress(), 300);
                fillers.add(socket);
            } catch (SocketTimeoutException e) {
                socket.close();
                return;
            }
        }
        if ("true".equals(System.getenv("CI"))) {
            fail("this kernel completed 32 handshakes to a listener with a backlog of 1");
        }
        assumeTrue(false, "this kernel does not drop SYNs to a full accept queue");
    }
}
