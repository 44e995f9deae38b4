package io.panamanetty.examples;



import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/** What the example tests share: leak checks, free ports, threads, upstream servers, child JVMs. */
final class TestSupport {
    /** How long a socket read may block in a test before it fails instead of hanging. */
    static final int SOCKET_TIMEOUT_MILLIS = 60_000;

    private TestSupport() {
    }

    /** A port on 127.0.0.1 that was free a moment ago (nothing listens there now). */
    static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress("127.0.0.1", 0));
            return probe.getLocalPort();
        }
    }

    /** A client socket connected to {@code port} on 127.0.0.1, with a read timeout. */
    static Socket connect(int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), SOCKET_TIMEOUT_MILLIS);
        socket.setSoTimeout(SOCKET_TIMEOUT_MILLIS);
        return socket;
    }

    /** Runs {@code work} on a new daemon thread; the future carries its result or failure. */
    static <T> CompletableFuture<T> inThread(String name, Callable<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                result.complete(work.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        return result;
    }

    /** Waits (up to 30 s) until something listens on {@code port} of 127.0.0.1, without connecting to it. */
    static void awaitListening(int port) throws IOException, InterruptedException {
        String hexPort = String.format(Locale.ROOT, ":%04X ", port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
                Path path = Path.of(table);
                if (!Files.exists(path)) {
                    continue;
                }
                for (String line : Files.readAllLines(path)) {
                    String[] fields = line.trim().split("\\s+");
                    // fields[1] is local address:port, fields[3] the state; 0A is LISTEN
                    if (fields.length > 3 && (fields[1] + " ").endsWith(hexPort) && fields[3].equals("0A")) {
                        return;
                    }
                }
            }
            Thread.sleep(20);
        }
        fail("nothing listens on port " + port + " after 30 s");
    }

    /** The command that runs {@code mainClass} in a new JVM with this test's class path. */
    static List<String> javaCommand(String mainClass, String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"),
                mainClass));
        command.addAll(List.of(args));
        return command;
    }

    /** How a child JVM ended: its exit status, and what it wrote to stdout and to stderr. */
    record Exit(int code, String out, String err) {
    }

    /**
     * Runs the launcher ({@code java -jar panama-netty-examples.jar ARGS}, as a user would) in a
     * child JVM and waits up to {@code timeoutSeconds} for it to end by itself: a JVM that ends has
     * no thread left running. Output goes through files: reading a pipe races with the JDK draining
     * it at exit.
     *
     * @throws AssertionError if the child is still running after the timeout (it is then killed)
     */
    static Exit launch(long timeoutSeconds, String... args) throws IOException, InterruptedException {
        Path out = Files.createTempFile("launcher", ".out");
        Path err = Files.createTempFile("launcher", ".err");
        try {
            Process process = new ProcessBuilder(javaCommand("io.panamanetty.examples.Launcher", args))
                    .redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                fail("launcher " + String.join(" ", args) + " still ran after " + timeoutSeconds + " s; stderr: "
                        + Files.readString(err) + "stdout: " + Files.readString(out));
            }
            return new Exit(process.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** Starts a command-line tool, failing with how to install it if it is missing. */
    static Process startTool(ProcessBuilder builder, String packageName) {
        try {
            return builder.start();
        } catch (IOException e) {
            throw new AssertionError(builder.command().getFirst() + " is not installed: install " + packageName
                    + " (.ci/run does: apt-get install " + packageName + ")", e);
        }
    }

    /**
     * A plain blocking echo server on 127.0.0.1 for any number of connections, one thread
     * each: every connection is echoed until EOF, then half-closed.
     */
    static final class EchoUpstream implements AutoCloseable {
        private final ServerSocket server;
        private final java.util.concurrent.atomic.AtomicLong echoed = new java.util.concurrent.atomic.AtomicLong();
        private final List<Socket> sockets = new java.util.concurrent.CopyOnWriteArrayList<>();

        EchoUpstream() throws IOException {
            server = new ServerSocket();
            server.bind(new InetSocketAddress("127.0.0.1", 0));
            inThread("echo-acceptor", () -> {
                while (!server.isClosed()) {
                    Socket socket;
                    try {
                        socket = server.accept();
                    } catch (IOException closed) {
                        return null;
                    }
                    sockets.add(socket);
                    inThread("echo", () -> {
                        try (socket) {
                            socket.setSoTimeout(SOCKET_TIMEOUT_MILLIS);
                            byte[] chunk = new byte[64 * 1024];
                            var in = socket.getInputStream();
                            var out = socket.getOutputStream();
                            for (int n; (n = in.read(chunk)) >= 0; ) {
                                out.write(chunk, 0, n);
                                echoed.addAndGet(n);
                            }
                            socket.shutdownOutput();
                        }
                        return null;
                    });
                }
                return null;
            });
        }

        int port() {
            return server.getLocalPort();
        }

        /** Bytes echoed so far, over all connections. */
        long echoed() {
            return echoed.get();
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }

    /** Work an {@link Upstream} does with each connection it accepts. */
    @FunctionalInterface
    interface Conversation<T> {
        T talk(Socket socket) throws Exception;
    }

    /**
     * A plain blocking server on 127.0.0.1 that accepts one connection and runs a
     * {@link Conversation} with it on its own thread: a peer independent of the code
     * under test.
     */
    static final class Upstream<T> implements AutoCloseable {
        private final ServerSocket server;
        private final CompletableFuture<T> result;

        private Upstream(ServerSocket server, CompletableFuture<T> result) {
            this.server = server;
            this.result = result;
        }

        static <T> Upstream<T> start(Conversation<T> conversation) throws IOException {
            ServerSocket server = new ServerSocket();
            server.bind(new InetSocketAddress("127.0.0.1", 0));
            CompletableFuture<T> result = inThread("upstream", () -> {
                try (Socket socket = server.accept()) {
                    socket.setSoTimeout(SOCKET_TIMEOUT_MILLIS);
                    return conversation.talk(socket);
                }
            });
            return new Upstream<>(server, result);
        }

        int port() {
            return server.getLocalPort();
        }

        /** What the conversation returned (waits up to 2 minutes). */
        T result() throws Exception {
            return result.get(2, TimeUnit.MINUTES);
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
