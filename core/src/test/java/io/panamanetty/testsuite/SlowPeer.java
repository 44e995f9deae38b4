package io.panamanetty.testsuite;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * A TCP peer slower than the server it talks to, independent of the code under test: a JDK
 * {@link Socket} whose receive buffer is made small before it connects (a small window), or
 * the same socket under a JDK {@link SSLSocket} (TLS 1.3, trusting one PEM certificate; an end
 * of stream without close_notify fails its read, see core/pom.xml). It
 * reads a little at a time with pauses, and may write from a thread of its own meanwhile.
 * Reads time out after {@value #TIMEOUT_MILLIS} ms, so no test hangs on it.
 */
final class SlowPeer implements AutoCloseable {
    /** How long a read may block. */
    static final int TIMEOUT_MILLIS = 30_000;
    /** The receive buffer asked for (the kernel doubles it and keeps a floor). */
    static final int SMALL_BUFFER = 4096;

    private final Socket plain;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final AtomicReference<Throwable> writerFailure = new AtomicReference<>();
    private Thread writer;

    private SlowPeer(Socket plain, Socket socket) throws IOException {
        this.plain = plain;
        this.socket = socket;
        socket.setSoTimeout(TIMEOUT_MILLIS);
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /** A plain peer connected to {@code address} with a small receive buffer. */
    static SlowPeer connect(SocketAddress address) throws IOException {
        return connect(address, null);
    }

    /**
     * A peer connected to {@code address} with a small receive buffer; with {@code trusted}
     * (a PEM certificate) it speaks TLS 1.3 over it and has finished the handshake.
     */
    static SlowPeer connect(SocketAddress address, Path trusted) throws IOException {
        Socket plain = new Socket();
        try {
            plain.setReceiveBufferSize(SMALL_BUFFER);   // before connecting: the window is set at the handshake
            plain.setTcpNoDelay(true);
            plain.connect(address, TIMEOUT_MILLIS);
            plain.setSoTimeout(TIMEOUT_MILLIS);
            if (trusted == null) {
                return new SlowPeer(plain, plain);
            }
            if (!Boolean.getBoolean("com.sun.net.ssl.requireCloseNotify")) {
                throw new AssertionError("run with -Dcom.sun.net.ssl.requireCloseNotify=true (core/pom.xml does):"
                        + " without it a JDK TLS peer takes a truncated stream for a closed one");
            }
            InetSocketAddress inet = (InetSocketAddress) address;
            SSLSocket tls = (SSLSocket) trusting(trusted).getSocketFactory()
                    .createSocket(plain, "localhost", inet.getPort(), true);
            tls.setEnabledProtocols(new String[] {"TLSv1.3"});
            tls.setSoTimeout(TIMEOUT_MILLIS);
            tls.startHandshake();
            return new SlowPeer(plain, tls);
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }

    private static SSLContext trusting(Path pem) throws IOException {
        try (InputStream certificate = Files.newInputStream(pem)) {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            store.setCertificateEntry("server", CertificateFactory.getInstance("X.509").generateCertificate(certificate));
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLSv1.3");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("cannot trust " + pem, e);
        }
    }

    /** The TCP socket underneath (for SO_LINGER and the like). */
    Socket tcp() {
        return plain;
    }

    InputStream in() {
        return in;
    }

    OutputStream out() {
        return out;
    }

    /**
     * Starts writing {@code payload} from a thread of its own, in chunks of random sizes;
     * with {@code finAfter} it then shuts its output down (FIN, or TLS close_notify).
     */
    void startWriting(byte[] payload, boolean finAfter) {
        writer = Thread.ofPlatform().name("slow-peer-writer").start(() -> {
            try {
                Random sizes = new Random(payload.length);
                for (int offset = 0; offset < payload.length; ) {
                    int length = Math.min(payload.length - offset, 1 + sizes.nextInt(32 * 1024));
                    out.write(payload, offset, length);
                    offset += length;
                }
                out.flush();
                if (finAfter) {
                    socket.shutdownOutput();
                }
            } catch (Throwable t) {
                writerFailure.set(t);
            }
        });
    }

    /** Shuts its output down: FIN, or under TLS a close_notify. */
    void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    /** Waits for the writer; fails if it did not finish in time or failed. */
    void awaitWriter() throws InterruptedException {
        if (writer == null) {
            return;
        }
        if (!writer.join(Duration.ofMillis(TIMEOUT_MILLIS))) {
            throw new AssertionError("the peer's writer did not finish");
        }
        if (writerFailure.get() != null) {
            throw new AssertionError("the peer's writer failed", writerFailure.get());
        }
    }

    /**
     * Reads slowly (1 KiB reads, a pause after every {@code pauseEvery} bytes) until the end of
     * the stream or until {@code limit} bytes have come, whichever is first; returns what came.
     */
    byte[] readSlowly(long limit, int pauseEvery) throws IOException, InterruptedException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] chunk = new byte[1024];
        long sincePause = 0;
        while (received.size() < limit) {
            int n = in.read(chunk, 0, (int) Math.min(chunk.length, limit - received.size()));
            if (n < 0) {
                break;
            }
            received.write(chunk, 0, n);
            sincePause += n;
            if (sincePause >= pauseEvery) {
                sincePause = 0;
                Thread.sleep(1);
            }
        }
        return received.toByteArray();
    }

    /** Closes with a reset (SO_LINGER 0): unread bytes and unsent ones are thrown away, RST sent. */
    void reset() throws IOException {
        plain.setSoLinger(true, 0);
        plain.close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
        plain.close();
    }
}
