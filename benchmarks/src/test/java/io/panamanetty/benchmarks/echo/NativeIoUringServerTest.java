package io.panamanetty.benchmarks.echo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The C io_uring reference server ({@code echo_server_uring.c}) on its own, with real
 * sockets: a peer that writes 32 MiB before it reads a byte gets every byte back in order
 * (short sends resumed, its receive paused and resumed) while another connection is served
 * meanwhile; 300 connections closed or reset with echoes in flight leave no descriptor
 * behind; SIGTERM stops it with status 0 although connections are open; a bad option is one
 * line and exit status 2. Never skipped: the machine and CI have liburing and io_uring.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NativeIoUringServerTest {
    private static final int MIB = 1024 * 1024;

    @Test
    void aPeerThatWritesBeforeItReadsGetsEveryByteBackAndOthersAreServedMeanwhile() throws Exception {
        try (Server server = new Server(); Socket slow = server.connect(256 * 1024)) {
            byte[] data = new byte[32 * MIB];
            for (int i = 0; i < data.length; i++) {
                data[i] = (byte) (i * 31 + (i >>> 16));
            }
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    OutputStream out = slow.getOutputStream();
                    for (int offset = 0; offset < data.length; offset += 64 * 1024) {
                        out.write(data, offset, Math.min(64 * 1024, data.length - offset));
                    }
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            Thread.sleep(1000);   // the server fills the socket towards us and must stop receiving
            assertFalse(writer.isDone(), "the server took 32 MiB without anyone reading its echo");
            try (Socket other = server.connect()) {
                assertArrayEquals(echo(other, "hello".getBytes(StandardCharsets.US_ASCII)),
                        "hello".getBytes(StandardCharsets.US_ASCII), "a second connection while the first is paused");
            }
            byte[] back = slow.getInputStream().readNBytes(data.length);
            writer.get(30, TimeUnit.SECONDS);
            assertEquals(data.length, back.length);
            assertTrue(Arrays.equals(data, back), "the echo differs from what was sent");
            server.checkAlive();
        }
    }

    @Test
    void connectionsClosedOrResetWithEchoesInFlightLeaveNoDescriptorBehind() throws Exception {
        try (Server server = new Server()) {
            long listening = server.descriptors();
            byte[] chunk = new byte[100_000];
            List<Socket> sockets = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                Socket socket = server.connect();
                socket.getOutputStream().write(chunk);
                sockets.add(socket);
            }
            for (int i = 0; i < sockets.size(); i++) {
                if (i % 2 == 1) {
                    sockets.get(i).setSoLinger(true, 0);   // an RST instead of a FIN
                }
                sockets.get(i).close();
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (server.descriptors() > listening && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(listening, server.descriptors(), "descriptors of closed connections still open");
            try (Socket after = server.connect()) {
                assertArrayEquals(new byte[] {1, 2, 3}, echo(after, new byte[] {1, 2, 3}), "serving after the churn");
            }
        }
    }

    @Test
    void sigtermStopsItWithStatusZeroWhileConnectionsAreOpen() throws Exception {
        try (Server server = new Server(); Socket open = server.connect()) {
            assertArrayEquals(new byte[] {7}, echo(open, new byte[] {7}));
            server.process.destroy();   // SIGTERM
            assertTrue(server.process.waitFor(10, TimeUnit.SECONDS), "still running 10 s after SIGTERM");
            assertEquals(0, server.process.exitValue());
            assertEquals(-1, open.getInputStream().read(), "the open connection was not closed");
        }
    }

    @Test
    void aBadOptionIsOneLineAndExitStatus2(@TempDir Path logs) {
        ServerProgram program = new ServerProgram(null, NativePrograms.IO_URING_ECHO_SERVER, List.of("--unix", "x"),
                Pattern.compile("^PORT "), true, false);
        ServerOptionsRejectedException e = assertThrows(ServerOptionsRejectedException.class,
                () -> ServerProcess.start("bad-c-uring", "the C io_uring server", "", program, "java", List.of(), 1,
                        false, logs));
        assertEquals("the C io_uring server: the program rejected its options '--unix x --workers 1' (exit status 2):"
                + " echo_server_uring: unknown option --unix (usage: echo_server_uring [--workers N])", e.getMessage());
    }

    private static byte[] echo(Socket socket, byte[] message) throws IOException {
        socket.getOutputStream().write(message);
        return socket.getInputStream().readNBytes(message.length);
    }

    /**
     * {@code echo_server_uring}, started and waited for until it prints its port, its standard
     * error in a temporary file that failures quote; closing it closes its input.
     */
    private static final class Server implements AutoCloseable {
        final Process process;
        final Path log;
        final int port;

        Server() throws IOException {
            log = Files.createTempFile("echo_server_uring-", ".log");
            process = new ProcessBuilder(NativePrograms.path(NativePrograms.IO_URING_ECHO_SERVER).toString())
                    .redirectError(log.toFile()).start();
            String line = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();
            if (line == null || !line.startsWith("PORT ")) {
                process.destroyForcibly();
                throw new IOException("echo_server_uring did not start: " + line + "\n" + stderr());
            }
            port = Integer.parseInt(line.substring(5).trim());
        }

        Socket connect() throws IOException {
            return connect(0);
        }

        /** A connection whose receive buffer is fixed at {@code receiveBuffer} bytes (0: the kernel's autotuned one). */
        Socket connect(int receiveBuffer) throws IOException {
            Socket socket = new Socket();
            if (receiveBuffer > 0) {
                socket.setReceiveBufferSize(receiveBuffer);   // before connecting, for the window scale
            }
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
            socket.setSoTimeout(30_000);
            return socket;
        }

        long descriptors() throws IOException {
            try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(process.pid()), "fd"))) {
                return fds.count();
            }
        }

        void checkAlive() throws IOException {
            assertTrue(process.isAlive(), "echo_server_uring exited:\n" + stderr());
        }

        String stderr() throws IOException {
            return Files.readString(log, StandardCharsets.UTF_8);
        }

        @Override
        public void close() throws Exception {
            try (InputStream out = process.getInputStream()) {
                if (process.isAlive()) {
                    process.getOutputStream().close();
                    if (!process.waitFor(10, TimeUnit.SECONDS)) {
                        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                        throw new AssertionError("echo_server_uring did not stop at the end of its standard input:\n"
                                + stderr());
                    }
                    assertEquals(0, process.exitValue(), "echo_server_uring's exit status:\n" + stderr());
                }
            } finally {
                Files.deleteIfExists(log);
            }
        }
    }
}
