package io.panamanetty.transport.epoll;

import io.panamanetty.bootstrap.Bootstrap;
import io.panamanetty.bootstrap.ServerBootstrap;
import io.panamanetty.buffer.Buffer;
import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelFuture;
import io.panamanetty.channel.ChannelHandlerAdapter;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.ChannelOption;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.channel.StreamChannel;
import io.panamanetty.channel.TcpInfo;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Run by {@link EpollFastOpenTest} in a network namespace of its own with
 * {@code net.ipv4.tcp_fastopen=3} (server and client Fast Open): three connections with
 * {@code TCP_FASTOPEN_CONNECT} to a listener with a Fast Open queue, each echoing one message
 * (the first only fetches a cookie; from the second the data rides the SYN, which
 * {@code tcp_info} shows), then one to a closed port with the cookie cached. Prints one line
 * per step for the test to check.
 */
public final class FastOpenProbe {
    private static final int TIMEOUT_SECONDS = 30;

    private FastOpenProbe() {
    }

    /** Records what a client channel receives and the exception it sees. */
    private static final class Client extends ChannelHandlerAdapter {
        final StringBuilder received = new StringBuilder();
        final CompletableFuture<String> reply = new CompletableFuture<>();
        final CompletableFuture<Throwable> failure = new CompletableFuture<>();
        final int expected;

        Client(int expected) {
            this.expected = expected;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            Buffer buffer = (Buffer) message;
            received.append(buffer.toString(StandardCharsets.US_ASCII));
            buffer.release();
            if (received.length() >= expected) {
                reply.complete(received.toString());
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            failure.complete(cause);
        }
    }

    /** Runs the steps; exits 0 once all ran (the test judges the lines). */
    public static void main(String[] args) throws Exception {
        try (EventLoopGroup group = new EventLoopGroup(1, "fast-open")) {
            Channel server = new ServerBootstrap().group(group).option(ChannelOption.TCP_FASTOPEN, 16)
                    .bind("127.0.0.1", 0).sync().channel();
            InetSocketAddress address = (InetSocketAddress) server.localAddress();
            for (int i = 1; i <= 3; i++) {
                String message = "fast open " + i;
                Client client = new Client(message.length());
                ChannelFuture connect = new Bootstrap().group(group).option(ChannelOption.TCP_FASTOPEN_CONNECT, true)
                        .handler(() -> client).connect(address);
                connect.sync();
                StreamChannel channel = (StreamChannel) connect.channel();
                channel.writeAndFlush(message).sync();
                String echoed = client.reply.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                TcpInfo info = channel.tcpInfo();
                System.out.println("connection " + i + " echoed=" + echoed.equals(message)
                        + " syn-data=" + info.hasOption(TcpInfo.TCPI_OPT_SYN_DATA));
                channel.close().sync();
            }
            int closedPort;
            try (ServerSocket unused = new ServerSocket(0, 1, address.getAddress())) {
                closedPort = unused.getLocalPort();
            }
            Client refused = new Client(1);
            ChannelFuture connect = new Bootstrap().group(group).option(ChannelOption.TCP_FASTOPEN_CONNECT, true)
                    .handler(() -> refused).connect(new InetSocketAddress(address.getAddress(), closedPort));
            connect.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            System.out.println("closed port connect success=" + connect.isSuccess()
                    + " active=" + connect.channel().isActive());
            if (connect.isSuccess()) {
                ChannelFuture write = connect.channel().writeAndFlush("x");
                write.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                Throwable cause = refused.failure.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                boolean closed = connect.channel().closeFuture().await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                System.out.println("closed port exception=" + cause.getMessage() + " closed=" + closed);
            }
            server.close().sync();
        }
    }
}
