package io.panamanetty.benchmarks.echo;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * Blocking I/O with one virtual thread per connection: read into the connection's
 * direct buffer, write the same buffer back (no copy on the Java side). The virtual
 * thread scheduler gets as many carrier threads as the worker count (default 1);
 * the accept loop runs on a virtual thread too.
 */
public final class VirtualThreadEchoServer {
    private static final int BUFFER_SIZE = 16 * 1024;

    private VirtualThreadEchoServer() {
    }

    /** {@code VirtualThreadEchoServer [--workers N]}: N carrier threads. */
    public static void main(String[] args) throws IOException, InterruptedException {
        // Read once, when the first virtual thread starts: set it before that.
        String carriers = Integer.toString(ServerLifecycle.workers(args));
        System.setProperty("jdk.virtualThreadScheduler.parallelism", carriers);
        System.setProperty("jdk.virtualThreadScheduler.maxPoolSize", carriers);

        ServerSocketChannel server = ServerSocketChannel.open();
        server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        server.bind(new InetSocketAddress(ServerLifecycle.HOST, 0), 4096);
        Thread acceptor = Thread.ofVirtual().name("acceptor").start(() -> acceptLoop(server));
        ServerLifecycle.announce(((InetSocketAddress) server.getLocalAddress()).getPort());
        ServerLifecycle.awaitStop();
        server.close();
        acceptor.join(2_000);
    }

    private static void acceptLoop(ServerSocketChannel server) {
        try {
            while (true) {
                SocketChannel channel = server.accept();
                Thread.ofVirtual().start(() -> serve(channel));
            }
        } catch (IOException e) {
            // the server socket was closed: stop accepting
        }
    }

    private static void serve(SocketChannel channel) {
        try (channel) {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_SIZE);
            while (channel.read(buffer.clear()) >= 0) {
                buffer.flip();
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            }
        } catch (IOException e) {
            // peer reset or server stopping: the connection is done
        }
    }
}
