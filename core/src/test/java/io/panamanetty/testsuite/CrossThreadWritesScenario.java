package io.panamanetty.testsuite;

import io.panamanetty.buffer.BufferAllocator;
import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelFuture;
import io.panamanetty.channel.ChannelHandlerAdapter;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.EventLoop;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.testing.LeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Writes from many threads at once reach the peer complete and, per thread, in order;
 * and {@code write} without {@code flush} still sends (at the end of the loop's turn).
 */
@ExtendWith(LeakCheck.class)
public abstract class CrossThreadWritesScenario extends TransportScenario {
    private static final long TIMEOUT_SECONDS = 30;
    private static final int THREADS = 8;
    private static final int MESSAGES_PER_THREAD = 1500;

    /** Completes with the channel once it is active. */
    static final class Capture extends ChannelHandlerAdapter {
        final CompletableFuture<Channel> active = new CompletableFuture<>();
        final BlockingQueue<String> received = new LinkedBlockingQueue<>();
        volatile String replyToRead;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            active.complete(ctx.channel());
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            received.add(((io.panamanetty.buffer.Buffer) message).toString(StandardCharsets.UTF_8));
            String reply = replyToRead;
            if (reply != null) {
                ctx.write(reply);   // no flush, and no flush in channelReadComplete either
            }
        }
    }

    /** The frame of message {@code seq} of writer {@code writer}: id, sequence, length, payload. */
    private static byte[] frame(int writer, int seq) {
        int length = 1 + (seq * 13 + writer * 7) % 200;
        ByteBuffer frame = ByteBuffer.allocate(1 + 4 + 2 + length);
        frame.put((byte) writer).putInt(seq).putShort((short) length);
        for (int i = 0; i < length; i++) {
            frame.put(payloadByte(writer, seq, i));
        }
        return frame.array();
    }

    private static byte payloadByte(int writer, int seq, int index) {
        return (byte) (writer * 31 + seq * 7 + index);
    }

    @Test
    public void manyThreadsWritingToOneChannelWhileTheLoopIsBusy() throws Exception {
        Capture capture = new Capture();
        try (EventLoopGroup group = transport().newGroup(1, "cross-writes")) {
            Channel server = transport().serverBootstrap().group(group).childHandler(() -> capture)
                    .bind("127.0.0.1", 0).sync().channel();
            try (Socket client = new Socket("127.0.0.1", ((InetSocketAddress) server.localAddress()).getPort())) {
                client.setSoTimeout((int) TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
                Channel channel = capture.active.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                EventLoop loop = channel.eventLoop();

                List<String> problems = Collections.synchronizedList(new ArrayList<>());
                AtomicInteger framesReceived = new AtomicInteger();
                Thread receiver = Thread.ofPlatform().name("cross-writes-receiver").start(() -> {
                    int[] nextSeq = new int[THREADS];
                    try {
                        DataInputStream in = new DataInputStream(new BufferedInputStream(client.getInputStream()));
                        for (int n = 0; n < THREADS * MESSAGES_PER_THREAD; n++) {
                            int writer = in.readUnsignedByte();
                            int seq = in.readInt();
                            int length = in.readUnsignedShort();
                            byte[] payload = new byte[length];
                            in.readFully(payload);
                            if (writer >= THREADS) {
                                problems.add("frame " + n + ": writer id " + writer + " out of range");
                                return;
                            }
                            if (seq != nextSeq[writer]) {
                                problems.add("writer " + writer + ": expected seq " + nextSeq[writer] + ", got " + seq);
                                return;
                            }
                            nextSeq[writer]++;
                            for (int i = 0; i < length; i++) {
                                if (payload[i] != payloadByte(writer, seq, i)) {
                                    problems.add("writer " + writer + " seq " + seq + ": payload differs at " + i);
                                    return;
                                }
                            }
                            framesReceived.incrementAndGet();
                        }
                    } catch (Exception e) {
                        problems.add("receiver failed after " + framesReceived.get() + " frames: " + e);
                    }
                });

                // Keep the loop busy: blocked until every writer is halfway, then nagged by slow tasks.
                CountDownLatch halfway = new CountDownLatch(THREADS);
                CountDownLatch blocked = new CountDownLatch(1);
                loop.execute(() -> {
                    blocked.countDown();
                    try {
                        halfway.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                assertTrue(blocked.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
                AtomicBoolean writersDone = new AtomicBoolean();
                Thread nagger = Thread.ofPlatform().name("cross-writes-nagger").start(() -> {
                    for (int i = 0; i < 5_000 && !writersDone.get(); i++) {
                        loop.execute(() -> {
                            long until = System.nanoTime() + 200_000;
                            while (System.nanoTime() < until) {
                                Thread.onSpinWait();
                            }
                        });
                        try {
                            Thread.sleep(1);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                });

                List<List<ChannelFuture>> futures = new ArrayList<>();
                List<Thread> writers = new ArrayList<>();
                CountDownLatch start = new CountDownLatch(1);
                for (int w = 0; w < THREADS; w++) {
                    int writer = w;
                    List<ChannelFuture> mine = new ArrayList<>(MESSAGES_PER_THREAD);
                    futures.add(mine);
                    writers.add(Thread.ofPlatform().name("cross-writer-" + w).start(() -> {
                        try {
                            start.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            return;
                        }
                        for (int seq = 0; seq < MESSAGES_PER_THREAD; seq++) {
                            if (seq == MESSAGES_PER_THREAD / 2) {
                                halfway.countDown();
                            }
                            byte[] frame = frame(writer, seq);
                            mine.add(switch (seq % 4) {
                                case 0 -> channel.write(frame);
                                case 1 -> channel.writeAndFlush(frame);
                                case 2 -> channel.write(BufferAllocator.defaultAllocator().copyOf(frame));
                                default -> channel.writeAndFlush(ByteBuffer.wrap(frame));
                            });
                        }
                    }));
                }
                start.countDown();
                for (Thread writer : writers) {
                    writer.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
                    assertFalse(writer.isAlive(), writer.getName() + " finished");
                }
                writersDone.set(true);
                nagger.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
                receiver.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS * 2));
                assertFalse(receiver.isAlive(), "receiver finished; got " + framesReceived.get() + " frames");

                assertEquals(List.of(), problems);
                assertEquals(THREADS * MESSAGES_PER_THREAD, framesReceived.get());
                for (List<ChannelFuture> mine : futures) {
                    assertEquals(MESSAGES_PER_THREAD, mine.size());
                    for (ChannelFuture future : mine) {
                        assertTrue(future.await(TIMEOUT_SECONDS, TimeUnit.SECONDS), "done: " + future);
                        assertTrue(future.isSuccess(), "succeeded: " + future);
                    }
                }
            }
            server.close().sync();
        }
    }

    @Test
    public void writeWithoutFlushStillReachesThePeer() throws Exception {
        Capture capture = new Capture();
        capture.replyToRead = "reply from channelRead\n";
        try (EventLoopGroup group = transport().newGroup(1, "write-sends")) {
            Channel server = transport().serverBootstrap().group(group).childHandler(() -> capture)
                    .bind("127.0.0.1", 0).sync().channel();
            try (Socket client = new Socket("127.0.0.1", ((InetSocketAddress) server.localAddress()).getPort())) {
                client.setSoTimeout((int) TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
                BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(),
                        StandardCharsets.UTF_8));
                Channel channel = capture.active.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                EventLoop loop = channel.eventLoop();

                ChannelFuture fromThread = channel.write("from another thread\n");
                assertEquals("from another thread", in.readLine());
                assertTrue(fromThread.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
                assertTrue(fromThread.isSuccess());

                loop.execute(() -> channel.write("from a task\n"));
                assertEquals("from a task", in.readLine());

                loop.schedule(() -> channel.write("from a timer\n"), 5, TimeUnit.MILLISECONDS);
                assertEquals("from a timer", in.readLine());

                client.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
                assertEquals("reply from channelRead", in.readLine());
                assertEquals("ping", capture.received.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS));

                // Several unflushed writes of one turn leave together, in order.
                loop.execute(() -> {
                    for (int i = 0; i < 100; i++) {
                        channel.write("line " + i + "\n");
                    }
                });
                for (int i = 0; i < 100; i++) {
                    assertEquals("line " + i, in.readLine());
                }
            }
            server.close().sync();
        }
    }

    @Test
    public void writesIssuedBeforeTheConnectCompletesAreSentOnceConnected() throws Exception {
        Capture serverSide = new Capture();
        try (EventLoopGroup group = transport().newGroup(2, "early-writes")) {
            Channel server = transport().serverBootstrap().group(group).childHandler(() -> serverSide)
                    .bind("127.0.0.1", 0).sync().channel();
            ChannelFuture connect = transport().bootstrap().group(group).handler(() -> new ChannelHandlerAdapter() { })
                    .connect(new InetSocketAddress("127.0.0.1", ((InetSocketAddress) server.localAddress()).getPort()));
            ChannelFuture early = connect.channel().write("early");
            Channel client = connect.sync().channel();
            assertTrue(early.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            assertTrue(early.isSuccess(), "early write: " + early);
            StringBuilder got = new StringBuilder();
            for (int i = 0; i < 100 && got.length() < "early".length(); i++) {
                String part = serverSide.received.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                if (part == null) {
                    break;
                }
                got.append(part);
            }
            assertEquals("early", got.toString());
            client.close().sync();
            server.close().sync();
        }
    }
}
