package io.panamanetty.testsuite;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

/**
 * A loopback listener whose accept queue is full: the kernel drops the SYNs sent to it, so
 * a connect there stays pending (until it times out or is cancelled).
 */
final class UnansweredListener {
    /** What runs against the listener's address. */
    interface Body {
        void run(InetSocketAddress address) throws Exception;
    }

    private UnansweredListener() {
    }

    /**
     * Runs {@code body} against such a listener; if the queue cannot be filled (a kernel that
     * completes every handshake) the test stops, or fails under {@code CI=true}.
     */
    static void run(Body body) throws Exception {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        try (ServerSocket listener = new ServerSocket(0, 1, loopback)) {
            List<Socket> fillers = new ArrayList<>();
            try {
                boolean full = false;
                for (int i = 0; i < 32 && !full; i++) {
                    Socket socket = new Socket();
                    try {
                        socket.connect(listener.getLocalSocketAddress(), 300);
                        fillers.add(socket);
                    } catch (SocketTimeoutException e) {
                        socket.close();
                        full = true;
                    }
                }
                TransportScenario.requireEnvironment(full,
                        "a kernel that drops SYNs to a listener with a full accept queue");
                body.run(new InetSocketAddress(loopback, listener.getLocalPort()));
            } finally {
                for (Socket socket : fillers) {
                    socket.close();
                }
            }
        }
    }
}
