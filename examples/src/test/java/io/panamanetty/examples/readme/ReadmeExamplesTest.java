package io.panamanetty.examples.readme;

import com.sun.net.httpserver.HttpServer;
import io.panamanetty.channel.Channel;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.channel.ServerBootstrap;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each py-netty README twin, run against loopback peers. */
class ReadmeExamplesTest {

    @Test
    void echoServerTwinEchoes() throws Exception {
        Channel server = ReadmeEchoServer.start("127.0.0.1", 0).sync().channel();
        try {
            byte[] sent = randomBytes(100_000);
            assertArrayEquals(sent, roundTrip(server.localAddress().getPort(), sent));
        } finally {
            server.close().sync();
        }
    }

    @Test
    void tcpClientTwinPrintsTheHttpResponse() throws Exception {
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/", exchange -> {
            byte[] body = "hello from a local http server".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        http.start();
        PrintStream originalOut = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            Channel channel = ReadmeTcpClient.sendGet("127.0.0.1", http.getAddress().getPort());
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!printed.toString(StandardCharsets.UTF_8).contains("hello from a local http server")
                    && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            channel.close().sync();
        } finally {
            System.setOut(originalOut);
            http.stop(0);
        }
        String output = printed.toString(StandardCharsets.UTF_8);
        assertTrue(output.startsWith("HTTP/1.1 200"), output);
        assertTrue(output.contains("hello from a local http server"), output);
    }

    @Test
    void proxyTwinForwardsBothWays() throws Exception {
        try (EventLoopGroup upstreamGroup = new EventLoopGroup(1, "upstream");
             EventLoopGroup clientGroup = new EventLoopGroup(2, "ClientEventloopGroup");
             EventLoopGroup acceptor = new EventLoopGroup(1, "Acceptor");
             EventLoopGroup worker = new EventLoopGroup(2, "Worker")) {
            Channel upstream = new ServerBootstrap().group(upstreamGroup).bind("127.0.0.1", 0).sync().channel();
            int upstreamPort = upstream.localAddress().getPort();
            Channel proxy = new ServerBootstrap().group(acceptor, worker)
                    .childHandler(() -> new ReadmeProxy.ProxyChannelHandler("127.0.0.1", upstreamPort, clientGroup))
                    .bind("127.0.0.1", 0).sync().channel();
            byte[] sent = randomBytes(300_000);
            assertArrayEquals(sent, roundTrip(proxy.localAddress().getPort(), sent));
        }
    }

    @Test
    void callbacksTwinServesAConnection() throws Exception {
        try (EventLoopGroup group = new EventLoopGroup(1, "callbacks")) {
            Channel server = new ServerBootstrap().group(group).childHandler(ReadmeCallbacks::new)
                    .bind("127.0.0.1", 0).sync().channel();
            try (Socket socket = new Socket("127.0.0.1", server.localAddress().getPort())) {
                socket.getOutputStream().write("ignored".getBytes(StandardCharsets.UTF_8));
                socket.shutdownOutput();
                socket.setSoTimeout(30_000);
                // ReadmeCallbacks consumes what it reads (nothing echoes back) and the server
                // closes the connection on the client's FIN: the client sees end of stream.
                assertEquals(-1, socket.getInputStream().read());
            }
        }
    }

    static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    /** Sends {@code sent} to the port, half-closes, and returns everything read back. */
    static byte[] roundTrip(int port, byte[] sent) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            Thread writer = Thread.ofPlatform().start(() -> {
                try {
                    socket.getOutputStream().write(sent);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            byte[] received = new byte[sent.length];
            InputStream in = socket.getInputStream();
            int filled = 0;
            while (filled < sent.length) {
                int n = in.read(received, filled, sent.length - filled);
                if (n < 0) {
                    break;
                }
                filled += n;
            }
            writer.join();
            return Arrays.copyOf(received, filled);
        }
    }
}
