package io.panamanetty.examples.readme;


import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.panamanetty.examples.TestCertificates;
import io.panamanetty.tls.TlsContexts;
import io.panamanetty.channel.Channel;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.bootstrap.ServerBootstrap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLSocket;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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
            assertArrayEquals(sent, roundTrip(((InetSocketAddress) server.localAddress()).getPort(), sent));
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
    void tlsEchoServerTwinEchoesOverTls(@TempDir Path dir) throws Exception {
        TestCertificates.Certificate certificate = TestCertificates.selfSigned(dir, "readme");
        // certfile and keyfile: the same file, as in py-netty's README
        Channel server = ReadmeTlsEchoServer.start("127.0.0.1", 0, certificate.combined(), certificate.combined())
                .sync().channel();
        try {
            // a JDK client, independent of the code under test, trusting the server's certificate
            var factory = TlsContexts.client().trust(certificate.cert()).build().sslContext().getSocketFactory();
            try (SSLSocket socket = (SSLSocket) factory.createSocket("127.0.0.1", ((InetSocketAddress) server.localAddress()).getPort())) {
                socket.setSoTimeout(30_000);
                socket.startHandshake();
                byte[] sent = randomBytes(50_000);
                Thread writer = Thread.ofPlatform().start(() -> {
                    try {
                        socket.getOutputStream().write(sent);
                        socket.getOutputStream().flush();
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                });
                byte[] received = socket.getInputStream().readNBytes(sent.length);
                writer.join();
                assertArrayEquals(sent, received);
            }
        } finally {
            server.close().sync();
        }
    }

    @Test
    void tlsClientTwinPrintsTheHttpsResponse(@TempDir Path dir) throws Exception {
        TestCertificates.Certificate certificate = TestCertificates.selfSigned(dir, "https");
        HttpsServer https = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(
                TlsContexts.server(certificate.cert(), certificate.key()).build().sslContext()));
        https.createContext("/", exchange -> {
            byte[] body = "hello from a local https server".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        https.start();
        PrintStream originalOut = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            // tls=True, verify=True, with the test's CA instead of the JDK's trust store
            Channel channel = ReadmeTlsClient.sendGet("localhost", https.getAddress().getPort(),
                    TlsContexts.client().trust(certificate.cert()).build());
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!printed.toString(StandardCharsets.UTF_8).contains("hello from a local https server")
                    && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            channel.close().sync();
        } finally {
            System.setOut(originalOut);
            https.stop(0);
        }
        String output = printed.toString(StandardCharsets.UTF_8);
        assertTrue(output.startsWith("HTTP/1.1 200"), output);
        assertTrue(output.contains("hello from a local https server"), output);
    }

    @Test
    void proxyTwinForwardsBothWays() throws Exception {
        try (EventLoopGroup upstreamGroup = new EventLoopGroup(1, "upstream");
             EventLoopGroup clientGroup = new EventLoopGroup(2, "ClientEventloopGroup");
             EventLoopGroup acceptor = new EventLoopGroup(1, "Acceptor");
             EventLoopGroup worker = new EventLoopGroup(2, "Worker")) {
            Channel upstream = new ServerBootstrap().group(upstreamGroup).bind("127.0.0.1", 0).sync().channel();
            int upstreamPort = ((InetSocketAddress) upstream.localAddress()).getPort();
            Channel proxy = new ServerBootstrap().group(acceptor, worker)
                    .childHandler(() -> new ReadmeProxy.ProxyChannelHandler("127.0.0.1", upstreamPort, clientGroup))
                    .bind("127.0.0.1", 0).sync().channel();
            byte[] sent = randomBytes(300_000);
            assertArrayEquals(sent, roundTrip(((InetSocketAddress) proxy.localAddress()).getPort(), sent));
        }
    }

    @Test
    void callbacksTwinServesAConnection() throws Exception {
        try (EventLoopGroup group = new EventLoopGroup(1, "callbacks")) {
            Channel server = new ServerBootstrap().group(group).childHandler(ReadmeCallbacks::new)
                    .bind("127.0.0.1", 0).sync().channel();
            try (Socket socket = new Socket("127.0.0.1", ((InetSocketAddress) server.localAddress()).getPort())) {
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
