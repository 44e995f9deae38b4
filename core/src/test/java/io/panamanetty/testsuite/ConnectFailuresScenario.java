package io.panamanetty.testsuite;

import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelException;
import io.panamanetty.channel.ChannelFuture;
import io.panamanetty.channel.ChannelOption;
import io.panamanetty.channel.ConnectTimeoutException;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.testing.LeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.File;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How connects and binds fail: refused, timed out, address in use, unknown host; and
 * a host name with several addresses connecting through whichever one listens.
 */
@ExtendWith(LeakCheck.class)
public abstract class ConnectFailuresScenario extends TransportScenario {
    private static final int TIMEOUT_SECONDS = 30;

    @Test
    public void refusedConnectFailsWithConnectExceptionNamingErrno() throws Exception {
        int port = closedPort("127.0.0.1");
        try (EventLoopGroup group = transport().newGroup(1, "connect-fail")) {
            ChannelFuture future = transport().bootstrap().group(group).connect("127.0.0.1", port);
            assertRefused(future, "127.0.0.1:" + port);
        }
    }

    @Test
    public void refusedConnectToResolvedIpv6AddressFailsTheSameWay() throws Exception {
        requireEnvironment(canBind("::1"), "a bindable IPv6 loopback (::1)");
        int port = closedPort("::1");
        try (EventLoopGroup group = transport().newGroup(1, "connect-fail")) {
            ChannelFuture future = transport().bootstrap().group(group)
                    .connect(new InetSocketAddress(InetAddress.getByName("::1"), port));
            // described as InetAddress.getHostAddress() spells it: [0:0:0:0:0:0:0:1]:port
            assertRefused(future, "[" + InetAddress.getByName("::1").getHostAddress() + "]:" + port);
        }
    }

    @Test
    public void refusedConnectWithoutGroupShutsItsOwnGroupDown() throws Exception {
        int port = closedPort("127.0.0.1");
        // No group: the bootstrap's own one-thread group must end with the channel
        // (LeakCheck fails the test if its thread lives on).
        ChannelFuture future = transport().bootstrap().connect("127.0.0.1", port);
        assertRefused(future, "127.0.0.1:" + port);
        future.channel().eventLoop().terminationFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        assertTrue(future.channel().eventLoop().isTerminated());
    }

    private static void assertRefused(ChannelFuture future, String target) throws InterruptedException {
        assertTrue(future.await(TIMEOUT_SECONDS, TimeUnit.SECONDS), "connect did not finish");
        assertFalse(future.isSuccess());
        ConnectException refused = assertInstanceOf(ConnectException.class, future.cause());
        assertFalse(refused instanceof ConnectTimeoutException, "refused, not timed out: " + refused);
        String message = refused.getMessage();
        assertTrue(message.contains("ECONNREFUSED"), message);
        assertTrue(message.contains(target), message);
        assertEquals("connect " + target + " failed: ECONNREFUSED (Connection refused)", message);

        ChannelException thrown = assertThrows(ChannelException.class, future::sync);
        assertEquals(message, thrown.getMessage());
        assertSame(refused, thrown.getCause());
        // A failed connect is the end of the channel: closeFuture().sync() reports it too.
        ChannelException fromCloseFuture = assertThrows(ChannelException.class, () -> future.closeFuture().sync());
        assertEquals(message, fromCloseFuture.getMessage());
        assertTrue(future.channel().closeFuture().await(TIMEOUT_SECONDS, TimeUnit.SECONDS), "channel not closed");
        assertFalse(future.channel().isOpen());
        assertFalse(future.channel().isActive());
    }

    @Test
    public void connectToAListenerThatNeverAcceptsTimesOut() throws Exception {
        // A listener whose accept queue is full: the kernel drops the SYNs, so the connect hangs.
        UnansweredListener.run(address -> {
            try (EventLoopGroup group = transport().newGroup(1, "connect-timeout")) {
                ChannelFuture future = transport().bootstrap().group(group)
                        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 500)
                        .connect(address);
                assertTrue(future.await(TIMEOUT_SECONDS, TimeUnit.SECONDS), "connect did not finish");
                ConnectTimeoutException timedOut = assertInstanceOf(ConnectTimeoutException.class,
                        future.cause());
                assertEquals("connect 127.0.0.1:" + address.getPort() + " timed out after 500 ms",
                        timedOut.getMessage());
                ChannelException thrown = assertThrows(ChannelException.class, future::sync);
                assertSame(timedOut, thrown.getCause());
                assertEquals(timedOut.getMessage(), thrown.getMessage());
                assertTrue(future.channel().closeFuture().await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
                assertFalse(future.channel().isOpen());
            }
        });
    }

    @Test
    public void bindToAPortInUseFailsWithExactMessage() throws Exception {
        try (ServerSocket occupant = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = occupant.getLocalPort();
            String expected = "bind 127.0.0.1:" + port + " failed: EADDRINUSE (Address already in use)";

            // Without groups: the bootstrap's own groups must be shut down after the failure.
            ChannelFuture future = transport().serverBootstrap().bind("127.0.0.1", port);
            assertTrue(future.isDone(), "bind returns once the bind is done");
            assertFalse(future.isSuccess());
            assertNotNull(future.cause());
            assertEquals(expected, future.cause().getMessage());
            assertFalse(future.channel().isActive());

            ChannelException thrown = assertThrows(ChannelException.class,
                    () -> transport().serverBootstrap().bind("127.0.0.1", port).closeFuture().sync());
            assertEquals(expected, thrown.getMessage());
            assertInstanceOf(IOException.class, thrown.getCause());
            assertEquals(expected, thrown.getCause().getMessage());
        }
    }

    @Test
    public void bindToAPortHeldByAnotherServerChannelFailsWithExactMessage() throws Exception {
        try (EventLoopGroup group = transport().newGroup(2, "bind-in-use")) {
            Channel first = transport().serverBootstrap().group(group).bind("127.0.0.1", 0).sync().channel();
            int port = ((InetSocketAddress) first.localAddress()).getPort();
            ChannelFuture second = transport().serverBootstrap().group(group).bind("127.0.0.1", port);
            assertTrue(second.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            assertEquals("bind 127.0.0.1:" + port + " failed: EADDRINUSE (Address already in use)",
                    second.cause().getMessage());
            assertTrue(first.isActive(), "the first server is unaffected");
            first.close().sync();
        }
    }

    @Test
    public void unresolvableHostFailsWithUnknownHostException() throws Exception {
        try (EventLoopGroup group = transport().newGroup(1, "unknown-host")) {
            ChannelFuture future = transport().bootstrap().group(group).connect("no-such-host.invalid", 80);
            assertTrue(future.await(TIMEOUT_SECONDS, TimeUnit.SECONDS), "connect did not finish");
            UnknownHostException unknown = assertInstanceOf(UnknownHostException.class, future.cause());
            assertTrue(unknown.getMessage().contains("no-such-host.invalid"), unknown.getMessage());
            ChannelException thrown = assertThrows(ChannelException.class, future::sync);
            assertEquals(unknown.getMessage(), thrown.getMessage());
            assertTrue(future.channel().closeFuture().await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            assertFalse(future.channel().isOpen());
        }
    }

    @Test
    public void bindingAnUnresolvableHostFailsWithUnknownHostException() throws Exception {
        ChannelFuture future = transport().serverBootstrap().bind("no-such-host.invalid", 0);
        assertTrue(future.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        UnknownHostException unknown = assertInstanceOf(UnknownHostException.class, future.cause());
        assertTrue(unknown.getMessage().contains("no-such-host.invalid"), unknown.getMessage());
        ChannelException thrown = assertThrows(ChannelException.class, () -> future.closeFuture().sync());
        assertEquals(unknown.getMessage(), thrown.getMessage());
    }

    @Test
    public void localhostConnectsToAnIpv4OnlyListener() throws Exception {
        try (EventLoopGroup group = transport().newGroup(2, "localhost")) {
            Channel server = transport().serverBootstrap().group(group).bind("127.0.0.1", 0).sync().channel();
            Channel client = transport().bootstrap().group(group)
                    .connect("localhost", ((InetSocketAddress) server.localAddress()).getPort()).sync().channel();
            assertTrue(client.isActive());
            assertEquals(InetAddress.getByName("127.0.0.1"), ((InetSocketAddress) client.remoteAddress()).getAddress());
            client.close().sync();
            server.close().sync();
        }
    }

    /**
     * The listener is bound only on the address the name resolves to last, so the connect
     * must fail on the first one and go on to the last.
     */
    @Test
    public void aNameWithSeveralAddressesIsTriedAddressByAddressUntilOneListens() throws Exception {
        // This machine's localhost may have only 127.0.0.1: a hosts file of the test's own gives a
        // name both loopbacks, read by a JVM started for it; the listener takes the last one.
        requireEnvironment(canBind("::1"), "a bindable IPv6 loopback (::1)");
        Path dir = Files.createTempDirectory("several-addresses");
        Path hosts = Files.writeString(dir.resolve("hosts"), "::1 several.test\n127.0.0.1 several.test\n");
        Path out = dir.resolve("probe.out");
        String classPath = String.join(File.pathSeparator, System.getProperty("java.class.path", ""),
                System.getProperty("jdk.module.path", ""));   // surefire may run this module on the module path
        try {
            Process probe = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--enable-native-access=ALL-UNNAMED", "-Djdk.net.hosts.file=" + hosts, "-cp", classPath,
                    SeveralAddressesProbe.class.getName(), "several.test", transport().factory().getClass().getName())
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start();
            assertTrue(probe.waitFor(120, TimeUnit.SECONDS), "the probe did not finish");
            String output = Files.readString(out);
            assertEquals(0, probe.exitValue(), output);
            assertTrue(output.contains(": the last, as expected"), output);   // the JDK lists 127.0.0.1 first
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(hosts);
            Files.deleteIfExists(dir);
        }
    }

    // ---------------------------------------------------------------- helpers

    /** A port that was just bound on {@code host} and closed again: nobody listens there. */
    private static int closedPort(String host) throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(host))) {
            return socket.getLocalPort();
        }
    }

    private static boolean canBind(String host) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(InetAddress.getByName(host), 0));
            return true;
        } catch (IOException | SecurityException e) {
            return false;
        }
    }
}
