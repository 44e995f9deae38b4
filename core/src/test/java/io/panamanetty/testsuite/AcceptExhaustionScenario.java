package io.panamanetty.testsuite;

import io.panamanetty.bindings.ResourceLimits;
import io.panamanetty.channel.Channel;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.testing.LeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * When the process runs out of file descriptors, the acceptor pauses instead of spinning
 * on EMFILE, and accepts again once descriptors are free.
 */
@ExtendWith(LeakCheck.class)
public abstract class AcceptExhaustionScenario extends TransportScenario {

    private static final String CLIENT = """
            import java.net.Socket;
            import java.util.ArrayList;
            public class Client {
                public static void main(String[] args) throws Exception {
                    int port = Integer.parseInt(args[0]);
                    System.in.read();   // wait until the server's limit is lowered
                    var sockets = new ArrayList<Socket>();
                    for (int i = 0; i < 60; i++) {
                        sockets.add(new Socket("127.0.0.1", port));
                    }
                    System.out.println("opened " + sockets.size());
                    System.out.flush();
                    System.in.read();   // hold them until told to go
                }
            }
            """;

    @Test
    public void acceptPausesOnEmfileWithoutSpinningAndRecovers() throws Exception {
        exhaustDescriptors(false);
    }

    /** The same with a listener per loop: each listener pauses by itself, on the worker loop that accepts. */
    @Test
    public void aListenerPerLoopPausesOnEmfileToo() throws Exception {
        exhaustDescriptors(true);
    }

    private void exhaustDescriptors(boolean listenerPerLoop) throws Exception {
        Path source = Files.createTempDirectory("emfile").resolve("Client.java");
        Files.writeString(source, CLIENT);
        ResourceLimits.Limit original = ResourceLimits.get(ResourceLimits.RLIMIT_NOFILE);
        try (EventLoopGroup acceptor = transport().newGroup(1, "emfile-acceptor");
             EventLoopGroup workers = transport().newGroup(1, "emfile-worker")) {
            Channel server = transport().serverBootstrap().group(acceptor, workers).listenerPerLoop(listenerPerLoop)
                    .bind("127.0.0.1", 0).sync().channel();
            String acceptingThread = listenerPerLoop ? "emfile-worker-0" : "emfile-acceptor";   // thread names, cut to 15
            int port = ((InetSocketAddress) server.localAddress()).getPort();
            // Serve one connection first, as a live server would have: classes load lazily,
            // from files, and with no descriptor left a class could not be loaded.
            assertEchoes(port, "warm-up");
            // Everything the measurement needs is opened before descriptors run out.
            Process client = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    source.toString(), String.valueOf(port)).redirectErrorStream(true).start();
            OutputStream control = client.getOutputStream();
            BufferedReader clientOutput = new BufferedReader(
                    new InputStreamReader(client.getInputStream(), StandardCharsets.US_ASCII));
            try (FileChannel acceptorStat = FileChannel.open(
                    taskNamed(acceptingThread).resolve("stat"))) {   // the kernel keeps 15 characters
                long open;
                try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
                    open = fds.count();
                }
                ResourceLimits.set(ResourceLimits.RLIMIT_NOFILE,
                        new ResourceLimits.Limit(open + 8, original.hard()));
                control.write('\n');
                control.flush();
                String line = clientOutput.readLine();
                assertEquals("opened 60", line);

                // 60 connections wait, only a few fit: the acceptor must be pausing, not spinning.
                long ticksBefore = cpuTicks(acceptorStat);
                Thread.sleep(2_000);
                long ticks = cpuTicks(acceptorStat) - ticksBefore;
                assertTrue(ticks < 50, acceptingThread + " used " + ticks + " CPU ticks (1/100 s) in 2 s: it spins on EMFILE");
            } finally {
                ResourceLimits.set(ResourceLimits.RLIMIT_NOFILE, original);
                control.write('\n');
                control.flush();
                client.waitFor(30, TimeUnit.SECONDS);
                client.destroyForcibly();
                control.close();
                clientOutput.close();
            }
            // Descriptors are free again: after the pause, a new connection is served.
            assertEchoes(port, "still serving");
            server.close().sync();
        } finally {
            ResourceLimits.set(ResourceLimits.RLIMIT_NOFILE, original);
            Files.deleteIfExists(source);
            Files.deleteIfExists(source.getParent());
        }
    }

    private static void assertEchoes(int port, String text) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
            socket.getOutputStream().write(bytes);
            assertArrayEquals(bytes, socket.getInputStream().readNBytes(bytes.length));
        }
    }

    /** The /proc entry of this process's thread whose name is {@code name}. */
    private static Path taskNamed(String name) throws Exception {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            return tasks.filter(task -> {
                try {
                    return Files.readString(task.resolve("comm")).strip().equals(name);
                } catch (Exception e) {
                    return false;   // the thread ended while we looked
                }
            }).findFirst().orElseThrow(() -> new AssertionError("no thread named " + name));
        }
    }

    /** User plus system CPU time of a thread, in clock ticks, re-read from its open /proc stat file. */
    private static long cpuTicks(FileChannel statFile) throws Exception {
        ByteBuffer bytes = ByteBuffer.allocate(1024);
        statFile.read(bytes, 0);
        String stat = new String(bytes.array(), 0, bytes.position(), StandardCharsets.US_ASCII);
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);   // utime, stime
    }
}
