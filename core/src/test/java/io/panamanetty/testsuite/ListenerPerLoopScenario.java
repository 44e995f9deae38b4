package io.panamanetty.testsuite;

import io.panamanetty.channel.Channel;
import io.panamanetty.channel.EventLoop;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.handler.EchoHandler;
import io.panamanetty.testing.LeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ServerBootstrap.listenerPerLoop}: one {@code SO_REUSEPORT} listener per worker
 * loop on one port; the kernel spreads 1,000 connections over all of them, each served on
 * the loop that accepted it; closing the bind's channel closes every listener (LeakCheck
 * counts the descriptors).
 */
@ExtendWith(LeakCheck.class)
public abstract class ListenerPerLoopScenario extends TransportScenario {
    private static final int TIMEOUT_SECONDS = 60;
    private static final int LOOPS = 4;
    private static final int CONNECTIONS = 1_000;

    @Test
    public void theKernelSpreadsConnectionsOverAListenerPerLoop() throws Exception {
        try (EventLoopGroup workers = transport().newGroup(LOOPS, "per-loop")) {
            Map<EventLoop, AtomicInteger> accepted = new ConcurrentHashMap<>();
            CountDownLatch all = new CountDownLatch(CONNECTIONS);
            Channel server = transport().serverBootstrap().group(workers).listenerPerLoop(true)
                    .childInitializer(ch -> {
                        assertTrue(ch.eventLoop().inEventLoop(), "set up on the loop that accepted it");
                        accepted.computeIfAbsent(ch.eventLoop(), loop -> new AtomicInteger()).incrementAndGet();
                        ch.pipeline().addLast("echo", new EchoHandler());
                        all.countDown();
                    })
                    .bind("127.0.0.1", 0).sync().channel();
            InetSocketAddress address = (InetSocketAddress) server.localAddress();
            for (int batch = 0; batch < CONNECTIONS / 100; batch++) {
                List<Socket> sockets = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    Socket socket = new Socket();
                    socket.connect(address, TIMEOUT_SECONDS * 1000);
                    socket.setSoTimeout(TIMEOUT_SECONDS * 1000);
                    sockets.add(socket);
                }
                for (Socket socket : sockets) {   // each one is served: its byte comes back
                    socket.getOutputStream().write(7);
                    InputStream in = socket.getInputStream();
                    assertEquals(7, in.read());
                    socket.close();
                }
            }
            assertTrue(all.await(TIMEOUT_SECONDS, TimeUnit.SECONDS), all.getCount() + " connections not accepted");
            assertEquals(LOOPS, accepted.size(), "every loop's listener should have taken some: " + accepted);
            assertEquals(CONNECTIONS, accepted.values().stream().mapToInt(AtomicInteger::get).sum());
            for (AtomicInteger count : accepted.values()) {
                assertTrue(count.get() >= CONNECTIONS / LOOPS / 4, "a loop took few connections: " + accepted);
            }
            server.close().sync();
            try (Socket late = new Socket()) {
                late.connect(address, TIMEOUT_SECONDS * 1000);
                assertFalse(true, "a listener still accepts after the bind's channel closed");
            } catch (java.net.ConnectException expected) {
                // every listener closed with the first
            }
        }
    }
}
