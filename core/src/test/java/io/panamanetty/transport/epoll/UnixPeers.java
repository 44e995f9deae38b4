package io.panamanetty.transport.epoll;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.channel.ChannelHandlerAdapter;
import io.panamanetty.channel.ChannelHandlerContext;
import org.junit.jupiter.api.Assumptions;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/** What the Unix socket tests share: outside programs as peers, and a handler collecting a whole stream. */
final class UnixPeers {
    static final int TIMEOUT_SECONDS = 30;

    private UnixPeers() {
    }

    /** Fails under CI=true, where .ci/run installs the program; skips elsewhere. */
    static void requireProgram(String name) {
        boolean present = Files.isExecutable(Path.of("/usr/bin", name)) || Files.isExecutable(Path.of("/bin", name));
        if (!present && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("CI=true, and this machine lacks " + name);
        }
        Assumptions.assumeTrue(present, name + " is not installed");
    }

    /** Waits for a peer to create its socket file (a listener is ready once its file is there). */
    static void waitForFile(Path file, Process peer, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (System.nanoTime() < deadline) {
            if (Files.exists(file)) {
                return;
            }
            if (!peer.isAlive()) {
                fail("the peer exited with " + peer.exitValue() + ": " + (Files.exists(log) ? Files.readString(log) : ""));
            }
            Thread.sleep(10);
        }
        fail("the peer did not create " + file + ": " + (Files.exists(log) ? Files.readString(log) : ""));
    }

    /** Waits for a peer to say {@code text} in its log (socat -d -d says "listening on" for an abstract name). */
    static void waitForLine(Path log, String text, Process peer) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains(text)) {
                return;
            }
            if (!peer.isAlive()) {
                fail("the peer exited: " + Files.readString(log));
            }
            Thread.sleep(10);
        }
        fail("the peer did not say '" + text + "': " + Files.readString(log));
    }

    /** Ends a peer process that is still running, and waits for it. */
    static void stop(Process peer) throws InterruptedException {
        peer.destroy();
        if (!peer.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            peer.destroyForcibly().waitFor();
        }
    }

    /** Collects every byte a channel reads; {@link #done} completes with them when it goes inactive. */
    static final class Collector extends ChannelHandlerAdapter {
        final CompletableFuture<byte[]> done = new CompletableFuture<>();
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            Buffer buffer = (Buffer) message;
            try {
                byte[] chunk = new byte[buffer.readableBytes()];
                buffer.readBytes(chunk);
                synchronized (bytes) {
                    bytes.writeBytes(chunk);
                }
            } finally {
                buffer.release();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            synchronized (bytes) {
                done.complete(bytes.toByteArray());
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            done.completeExceptionally(cause);
            ctx.close();
        }

        byte[] await() throws Exception {
            return done.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
    }
}
