package io.panamanetty.benchmarks.echo;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Iterator;

/**
 * A hand-written JDK NIO echo server on one thread and one {@link Selector}: accepts,
 * reads and writes on the same thread. Reads go into one shared direct buffer and are
 * written straight back from it; only the bytes a full socket refuses are copied to a
 * per-connection buffer, and that connection stops reading until they are gone (so a
 * client that never reads cannot grow the server's memory).
 */
public final class JdkNioEchoServer {
    private static final int BUFFER_SIZE = 64 * 1024;

    private final Selector selector;
    private final ServerSocketChannel server;
    private final ByteBuffer shared = ByteBuffer.allocateDirect(BUFFER_SIZE);

    private JdkNioEchoServer() throws IOException {
        selector = Selector.open();
        server = ServerSocketChannel.open();
        server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        server.bind(new InetSocketAddress(ServerLifecycle.HOST, 0), 4096);
        server.configureBlocking(false);
        server.register(selector, SelectionKey.OP_ACCEPT);
    }

    /** {@code JdkNioEchoServer}: always one thread (a worker count is ignored). */
    public static void main(String[] args) throws IOException {
        JdkNioEchoServer echo = new JdkNioEchoServer();
        Thread loop = new Thread(echo::run, "nio-echo");
        loop.start();
        ServerLifecycle.announce(((InetSocketAddress) echo.server.getLocalAddress()).getPort());
        ServerLifecycle.awaitStop();
        echo.selector.close();
        echo.server.close();
    }

    private void run() {
        try {
            while (selector.isOpen()) {
                selector.select();
                Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext()) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    handle(key);
                }
            }
        } catch (ClosedSelectorException | IOException e) {
            // shutting down
        }
    }

    private void handle(SelectionKey key) {
        try {
            if (!key.isValid()) {
                return;
            }
            if (key.isAcceptable()) {
                accept();
            } else if (key.isWritable()) {
                drainPending(key);
            } else if (key.isReadable()) {
                echo(key);
            }
        } catch (IOException e) {
            close(key);
        }
    }

    private void accept() throws IOException {
        SocketChannel channel;
        while ((channel = server.accept()) != null) {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_READ);
        }
    }

    private void echo(SelectionKey key) throws IOException {
        SocketChannel channel = (SocketChannel) key.channel();
        shared.clear();
        int n = channel.read(shared);
        if (n < 0) {
            close(key);
            return;
        }
        shared.flip();
        while (shared.hasRemaining()) {
            if (channel.write(shared) == 0) {
                ByteBuffer pending = ByteBuffer.allocateDirect(shared.remaining());
                pending.put(shared).flip();
                key.attach(pending);
                key.interestOps(SelectionKey.OP_WRITE);
                return;
            }
        }
    }

    private void drainPending(SelectionKey key) throws IOException {
        ByteBuffer pending = (ByteBuffer) key.attachment();
        ((SocketChannel) key.channel()).write(pending);
        if (!pending.hasRemaining()) {
            key.attach(null);
            key.interestOps(SelectionKey.OP_READ);
        }
    }

    private static void close(SelectionKey key) {
        key.cancel();
        try {
            key.channel().close();
        } catch (IOException e) {
            // already gone
        }
    }
}
