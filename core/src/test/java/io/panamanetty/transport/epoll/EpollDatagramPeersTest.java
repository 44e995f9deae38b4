package io.panamanetty.transport.epoll;

import io.panamanetty.bootstrap.Bootstrap;
import io.panamanetty.channel.DatagramChannel;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.testing.LeakCheck;
import io.panamanetty.testsuite.DatagramScenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * UDP with outside programs as the peer: socat (with {@code -b 65536}: its default cuts
 * datagrams at 8,192 bytes) echoing back to our connected client, datagrams of every size
 * up to 65,507 bytes, and OpenBSD {@code nc -u} (below its 16 KiB) talking to our echo server.
 * Both are installed by {@code .ci/run}; missing, the test fails under {@code CI=true}.
 */
@ExtendWith(LeakCheck.class)
class EpollDatagramPeersTest {
    private static final int TIMEOUT_SECONDS = 30;

    @Test
    void socatEchoesEveryDatagramWholeToAConnectedClient(@TempDir Path dir) throws Exception {
        requireProgram("socat");
        int port = freePort();
        Path log = dir.resolve("socat.log");
        Process socat = new ProcessBuilder("socat", "-d", "-d", "-b", "65536",
                "UDP-LISTEN:" + port + ",bind=127.0.0.1", "PIPE").redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        try (EventLoopGroup group = new EventLoopGroup(1, "udp-socat")) {
            waitForLine(log, "listening on", socat);
            DatagramScenario.Recorder recorder = new DatagramScenario.Recorder();
            DatagramChannel client = (DatagramChannel) new Bootstrap().group(group).channel(DatagramChannel.class)
                    .handler(() -> recorder).connect("127.0.0.1", port).sync().channel();
            for (int size : new int[] {1, 100, 1_200, 8_192, 8_193, 16_385, 40_000, 65_507}) {
                byte[] payload = new byte[size];
                new Random(size).nextBytes(payload);
                client.writeAndFlush(payload).sync();
                assertArrayEquals(payload, recorder.next().bytes(), size + " bytes, socat log: "
                        + Files.readString(log));
            }
            client.close().sync();
        } finally {
            socat.destroy();
            socat.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
    }

    @Test
    void netcatTalksToTheEchoServer() throws Exception {
        requireProgram("nc");
        try (EventLoopGroup group = new EventLoopGroup(1, "udp-nc")) {
            DatagramChannel server = (DatagramChannel) new Bootstrap().group(group).channel(DatagramChannel.class)
                    .bind("127.0.0.1", 0).sync().channel();
            Process nc = new ProcessBuilder("nc", "-u", "127.0.0.1", String.valueOf(server.localAddress().getPort()))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            try (OutputStream in = nc.getOutputStream();
                 BufferedReader out = new BufferedReader(new InputStreamReader(nc.getInputStream(),
                         StandardCharsets.UTF_8))) {
                for (int i = 0; i < 5; i++) {
                    String line = "line " + i + " " + "x".repeat(i * 1_000);
                    in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                    in.flush();
                    assertEquals(line, out.readLine());
                }
            } finally {
                nc.destroy();
                nc.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
            server.close().sync();
        }
    }

    private static void waitForLine(Path log, String text, Process process) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains(text)) {
                return;
            }
            if (!process.isAlive()) {
                fail("the peer exited: " + Files.readString(log));
            }
            Thread.sleep(20);
        }
        fail("the peer did not say '" + text + "': " + Files.readString(log));
    }

    private static int freePort() throws Exception {
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
            return probe.getLocalPort();
        }
    }

    /** Fails under CI=true, where .ci/run installs the program; skips elsewhere. */
    private static void requireProgram(String name) {
        boolean present = Files.isExecutable(Path.of("/usr/bin", name)) || Files.isExecutable(Path.of("/bin", name));
        if (!present && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("CI=true, and this machine lacks " + name);
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(present, name + " is not installed");
    }
}
