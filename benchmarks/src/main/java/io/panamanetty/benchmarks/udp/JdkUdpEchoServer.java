package io.panamanetty.benchmarks.udp;

import io.panamanetty.benchmarks.echo.ServerLifecycle;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;

/**
 * The plain JDK peer of the UDP benchmark: one non-blocking {@link DatagramChannel}, one
 * {@link Selector} and one thread ({@code --workers} is ignored). Each readable turn
 * receives datagrams into one direct buffer until none is left and sends each straight
 * back to its sender from that buffer. If the socket refuses a send (its buffer full), the
 * datagram is kept and the channel waits until it is writable before reading again, so no
 * echo is dropped. 4 MiB socket buffers, as the other servers have.
 */
public final class JdkUdpEchoServer {
    private static final int SOCKET_BUFFER = 4 << 20;

    private final Selector selector;
    private final DatagramChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(65_536);
    private SocketAddress pendingRecipient;

    private JdkUdpEchoServer() throws IOException {
        selector = Selector.open();
        channel = DatagramChannel.open();
        channel.setOption(StandardSocketOptions.SO_RCVBUF, SOCKET_BUFFER);
        channel.setOption(StandardSocketOptions.SO_SNDBUF, SOCKET_BUFFER);
        channel.bind(new InetSocketAddress(ServerLifecycle.HOST, 0));
        channel.configureBlocking(false);
        channel.register(selector, SelectionKey.OP_READ);
    }

    /** Starts the server on a free loopback port and stops when standard input closes. */
    public static void main(String[] args) throws IOException {
        JdkUdpEchoServer echo = new JdkUdpEchoServer();
        Thread loop = new Thread(echo::run, "jdk-udp-echo");
        loop.start();
        ServerLifecycle.announce(((InetSocketAddress) echo.channel.getLocalAddress()).getPort());
        ServerLifecycle.awaitStop();
        echo.selector.close();
        echo.channel.close();
    }

    private void run() {
        try {
            while (selector.isOpen()) {
                selector.select();
                for (SelectionKey key : selector.selectedKeys()) {
                    if (key.isValid() && key.isWritable()) {
                        resend(key);
                    } else if (key.isValid() && key.isReadable()) {
                        echo(key);
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (ClosedSelectorException | IOException e) {
            // shutting down
        }
    }

    private void echo(SelectionKey key) throws IOException {
        while (true) {
            buffer.clear();
            SocketAddress sender = channel.receive(buffer);
            if (sender == null) {
                return;
            }
            buffer.flip();
            if (channel.send(buffer, sender) == 0) {
                pendingRecipient = sender;   // the buffer keeps the datagram until it can leave
                key.interestOps(SelectionKey.OP_WRITE);
                return;
            }
        }
    }

    private void resend(SelectionKey key) throws IOException {
        if (channel.send(buffer, pendingRecipient) != 0) {
            pendingRecipient = null;
            key.interestOps(SelectionKey.OP_READ);
        }
    }
}
