package io.panamanetty.testsuite;

import io.panamanetty.bindings.TcpInfoStruct;
import io.panamanetty.buffer.Buffer;
import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelHandlerAdapter;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.channel.StreamChannel;
import io.panamanetty.channel.TcpInfo;
import io.panamanetty.testing.LeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link StreamChannel#tcpInfo()} on a real loopback connection after a known exchange, both
 * ends on the transport, compared with what {@code ss} reads; {@code EBADF} once closed.
 */
@ExtendWith(LeakCheck.class)
public abstract class TcpInfoScenario extends TransportScenario {
    private static final int TIMEOUT_SECONDS = 30;
    private static final int REQUEST = 200_000;
    private static final int REPLY = 5_000;

    /** Counts what it reads; once the whole request is in, replies with {@link #REPLY} bytes. */
    private static final class ReplyWhenAllIn extends ChannelHandlerAdapter {
        final CompletableFuture<StreamChannel> done;
        long received;

        ReplyWhenAllIn(CompletableFuture<StreamChannel> done) {
            this.done = done;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            Buffer buffer = (Buffer) message;
            received += buffer.readableBytes();
            buffer.release();
            if (received == REQUEST) {
                ctx.writeAndFlush(new byte[REPLY]);
                done.complete((StreamChannel) ctx.channel());
            }
        }
    }

    /** Counts what the client reads. */
    private static final class Count extends ChannelHandlerAdapter {
        final AtomicLong received = new AtomicLong();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            Buffer buffer = (Buffer) message;
            received.addAndGet(buffer.readableBytes());
            buffer.release();
        }
    }

    @Test
    void countsTheBytesExchangedAndTheRoundTrip() throws Exception {
        CompletableFuture<StreamChannel> serverSide = new CompletableFuture<>();
        Count count = new Count();
        try (EventLoopGroup group = transport().newGroup(2, "tcp-info")) {
            Channel server = transport().serverBootstrap().group(group)
                    .childHandler(() -> new ReplyWhenAllIn(serverSide))
                    .bind("127.0.0.1", 0).sync().channel();
            try {
                StreamChannel client = (StreamChannel) transport().bootstrap().group(group).handler(() -> count)
                        .connect("127.0.0.1", ((InetSocketAddress) server.localAddress()).getPort())
                        .sync().channel();
                client.writeAndFlush(new byte[REQUEST]).sync();
                StreamChannel accepted = serverSide.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                TcpInfo clientInfo = awaitInfo(client, info -> info.unacked() == 0 && count.received.get() == REPLY);
                TcpInfo serverInfo = awaitInfo(accepted, info -> info.unacked() == 0);

                // bytes_acked counts acknowledged sequence space: the data, and (on Linux) the SYN's one.
                assertEquals(REQUEST, clientInfo.bytesSent());
                assertTrue(clientInfo.bytesAcked() == REQUEST || clientInfo.bytesAcked() == REQUEST + 1,
                        "bytes acked " + clientInfo.bytesAcked());
                assertTrue(serverInfo.bytesAcked() == REPLY || serverInfo.bytesAcked() == REPLY + 1,
                        "bytes acked " + serverInfo.bytesAcked());

                assertEquals(TcpInfo.ESTABLISHED, clientInfo.state());
                assertEquals("ESTABLISHED", clientInfo.stateName());
                assertEquals(REPLY, clientInfo.bytesReceived());
                assertEquals(REQUEST, serverInfo.bytesReceived());
                assertTrue(clientInfo.rtt() > 0, "rtt " + clientInfo.rtt());
                assertTrue(clientInfo.minRtt() > 0, "min rtt " + clientInfo.minRtt());
                assertTrue(clientInfo.sndCwnd() > 0 && clientInfo.sndMss() > 0, clientInfo.toString());
                assertTrue(clientInfo.segsOut() > 1 && serverInfo.dataSegsIn() > 0, clientInfo.toString());
                assertTrue(clientInfo.hasOption(TcpInfo.TCPI_OPT_SACK), "SACK on loopback");
                assertTrue(!clientInfo.hasOption(TcpInfo.TCPI_OPT_SYN_DATA), "no Fast Open here");
                // none expected on loopback; tail-loss probes on a starved machine may count one or two
                assertTrue(clientInfo.totalRetrans() <= 2, "retransmissions " + clientInfo.totalRetrans());

                assertSameAsSs(client);

                client.close().sync();
                UncheckedIOException closed = assertThrows(UncheckedIOException.class, client::tcpInfo);
                assertTrue(closed.getCause().getMessage().contains("EBADF"), closed.getMessage());
            } finally {
                server.close().sync();
            }
        }
    }

    @Test
    void theRecordsConstantsAreTheKernels() {
        assertEquals(TcpInfoStruct.TCP_ESTABLISHED, TcpInfo.ESTABLISHED);
        assertEquals(TcpInfoStruct.TCPI_OPT_TIMESTAMPS, TcpInfo.TCPI_OPT_TIMESTAMPS);
        assertEquals(TcpInfoStruct.TCPI_OPT_SACK, TcpInfo.TCPI_OPT_SACK);
        assertEquals(TcpInfoStruct.TCPI_OPT_WSCALE, TcpInfo.TCPI_OPT_WSCALE);
        assertEquals(TcpInfoStruct.TCPI_OPT_ECN, TcpInfo.TCPI_OPT_ECN);
        assertEquals(TcpInfoStruct.TCPI_OPT_ECN_SEEN, TcpInfo.TCPI_OPT_ECN_SEEN);
        assertEquals(TcpInfoStruct.TCPI_OPT_SYN_DATA, TcpInfo.TCPI_OPT_SYN_DATA);
        TcpInfo closeWait = withState(TcpInfoStruct.TCP_CLOSE_WAIT);
        assertEquals("CLOSE_WAIT", closeWait.stateName());
        assertEquals("CLOSING", withState(TcpInfoStruct.TCP_CLOSING).stateName());
        assertEquals("LISTEN", withState(TcpInfoStruct.TCP_LISTEN).stateName());
    }

    private static TcpInfo withState(int state) {
        return new TcpInfo(state, 0, 0, 0, 0, 0, 0, 0, false, 0,
                0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    /**
     * Compares the quiet connection's tcp_info with what {@code ss} reads through netlink
     * (inet_diag hands out the same struct by another path): the layout, bit-fields included.
     * A late window update or ACK between the two reads can move a field, so a mismatch is
     * read again a few times before it fails.
     */
    private static void assertSameAsSs(StreamChannel channel) throws Exception {
        AssertionError last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                compareWithSs(channel, channel.tcpInfo());
                return;
            } catch (AssertionError mismatch) {
                last = mismatch;
                Thread.sleep(50);
            }
        }
        throw last;
    }

    private static void compareWithSs(StreamChannel channel, TcpInfo info) throws Exception {
        InetSocketAddress local = (InetSocketAddress) channel.localAddress();
        Process ss = new ProcessBuilder("ss", "-tinH", "src", "127.0.0.1:" + local.getPort())
                .redirectErrorStream(true).start();
        String out = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(ss.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS), "ss did not finish");
        assertEquals(0, ss.exitValue(), out);
        Map<String, String> fields = new HashMap<>();
        Matcher field = Pattern.compile("(\\w+):([\\d,]+)").matcher(out);
        while (field.find()) {
            fields.putIfAbsent(field.group(1), field.group(2));
        }
        assertEquals(info.sndWscale() + "," + info.rcvWscale(), fields.get("wscale"), out);
        assertEquals(String.valueOf(info.sndMss()), fields.get("mss"), out);
        assertEquals(String.valueOf(info.advmss()), fields.get("advmss"), out);
        assertEquals(String.valueOf(info.pmtu()), fields.get("pmtu"), out);
        assertEquals(String.valueOf(info.sndCwnd()), fields.get("cwnd"), out);
        assertEquals(String.valueOf(info.bytesAcked()), fields.get("bytes_acked"), out);
        assertEquals(String.valueOf(info.bytesReceived()), fields.get("bytes_received"), out);
        assertEquals(String.valueOf(info.rcvSpace()), fields.get("rcv_space"), out);
        assertEquals(String.valueOf(info.sndWnd()), fields.get("snd_wnd"), out);
        assertEquals(String.valueOf(info.delivered()), fields.get("delivered"), out);
    }

    /** Reads {@code channel}'s tcp_info (from the test thread) until {@code ready} holds. */
    private static TcpInfo awaitInfo(StreamChannel channel, java.util.function.Predicate<TcpInfo> ready)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        TcpInfo info = channel.tcpInfo();
        while (!ready.test(info)) {
            assertTrue(System.nanoTime() < deadline, "tcp_info never got there: " + info);
            Thread.sleep(10);
            info = channel.tcpInfo();
        }
        return info;
    }
}
