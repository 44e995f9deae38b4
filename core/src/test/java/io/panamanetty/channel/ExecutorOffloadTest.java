package io.panamanetty.channel;

import io.panamanetty.testing.LeakCheck;

import java.net.InetSocketAddress;

import io.panamanetty.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import io.panamanetty.bootstrap.ServerBootstrap;
import io.panamanetty.channel.embedded.EmbeddedChannel;

@ExtendWith(LeakCheck.class)
class ExecutorOffloadTest {

    /** Blocks in channelRead until released, then echoes what it read, upper-cased. */
    private static final class BlockingUpperCaser extends ChannelHandlerAdapter {
        private final CountDownLatch release;
        private final List<String> threads;

        BlockingUpperCaser(CountDownLatch release, List<String> threads) {
            this.release = release;
            this.threads = threads;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) throws InterruptedException {
            threads.add((Thread.currentThread().isVirtual() ? "virtual" : "platform")
                    + (ctx.eventLoop().inEventLoop() ? " loop" : " off-loop"));
            assertTrue(release.await(30, TimeUnit.SECONDS), "never released");
            String text = ((Buffer) message).toString(StandardCharsets.US_ASCII);
            ctx.writeAndFlush(text.toUpperCase());
            // the buffer is neither passed on nor released: the framework releases it on return
        }
    }

    @Test
    void aBlockingHandlerOnVirtualThreadsDoesNotStallTheLoop() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<String> threads = new CopyOnWriteArrayList<>();
        try (EventLoopGroup group = new EventLoopGroup(1, "offload");
             ExecutorService virtualThreads = Executors.newVirtualThreadPerTaskExecutor()) {
            Channel blocking = new ServerBootstrap().group(group)
                    .childInitializer(ch -> ch.pipeline().addLast(virtualThreads, "upper",
                            new BlockingUpperCaser(release, threads)))
                    .bind("127.0.0.1", 0).sync().channel();
            Channel echo = new ServerBootstrap().group(group).bind("127.0.0.1", 0).sync().channel();
            try (Socket slow = new Socket("127.0.0.1", ((InetSocketAddress) blocking.localAddress()).getPort());
                 Socket fast = new Socket("127.0.0.1", ((InetSocketAddress) echo.localAddress()).getPort())) {
                slow.setSoTimeout(30_000);
                fast.setSoTimeout(30_000);
                slow.getOutputStream().write("abc".getBytes(StandardCharsets.US_ASCII));
                waitUntil(() -> !threads.isEmpty());

                // The only loop thread is free although a handler is blocked: echo works.
                fast.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
                assertEquals("ping", readExactly(fast.getInputStream(), 4));

                release.countDown();
                assertEquals("ABC", readExactly(slow.getInputStream(), 3));
            }
            blocking.close().sync();
            echo.close().sync();
        }
        assertEquals(List.of("virtual off-loop"), threads);
    }

    @Test
    void callbacksOnAnExecutorArriveInOrderOneAtATime() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        ChannelHandler recorder = new ChannelHandlerAdapter() {
            private volatile boolean busy;

            private void record(String event) {
                assertTrue(!busy, "callbacks overlapped");
                busy = true;
                events.add(event);
                Thread.onSpinWait();
                busy = false;
            }

            @Override
            public void channelActive(ChannelHandlerContext ctx) {
                record("active");
            }

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object message) {
                record("read:" + ((Buffer) message).toString(StandardCharsets.US_ASCII));
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                record("inactive");
            }
        };
        try (ExecutorService virtualThreads = Executors.newVirtualThreadPerTaskExecutor()) {
            EmbeddedChannel ch = new EmbeddedChannel();
            ch.pipeline().addLast(virtualThreads, "recorder", recorder);
            for (int i = 0; i < 50; i++) {
                ch.writeInbound(ch.alloc().copyOf(Integer.toString(i), StandardCharsets.US_ASCII));
            }
            ch.finish();
            waitUntil(() -> events.size() == 51);
        }
        assertEquals("read:0", events.get(0));
        for (int i = 0; i < 50; i++) {
            assertEquals("read:" + i, events.get(i));
        }
        assertEquals("inactive", events.get(50));
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "condition not met within 30 s");
            Thread.sleep(5);
        }
    }

    private static String readExactly(InputStream in, int length) throws Exception {
        byte[] bytes = in.readNBytes(length);
        return new String(bytes, StandardCharsets.US_ASCII);
    }
}
