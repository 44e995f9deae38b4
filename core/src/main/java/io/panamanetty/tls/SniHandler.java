package io.panamanetty.tls;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.channel.AttributeKey;
import io.panamanetty.channel.ChannelHandler;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.ChannelPromise;

import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.Arrays;

/**
 * The first handler of a server channel that serves several host names on one port: it reads
 * the client's ClientHello, picks the context for the host name asked for
 * ({@link SniContexts#select}), puts that context's {@link TlsHandler} in its own place (named
 * {@code "tls"}, so {@code ctx.pipeline().get("tls")} finds it) and hands it the bytes. Get one
 * per channel from {@link SniContexts#newHandler()}; {@code ServerBootstrap.tls(SniContexts)}
 * does it for you.
 *
 * <p>The choice is visible to later handlers, from the TLS handshake on, as the channel
 * attribute {@link #SELECTION}:
 * <pre>{@code
 * public void channelHandshakeComplete(ChannelHandlerContext ctx) {
 *     SniHandler.Selection sni = ctx.channel().attr(SniHandler.SELECTION).get();
 *     String asked = sni.serverName();   // e.g. "api.example.org"; null if the client named none
 *     String entry = sni.entry();        // e.g. "*.example.org"; null for the default context
 * }
 * }</pre>
 * Writes made before the choice are held and passed to the {@code TlsHandler}, which sends them
 * after its handshake. A client that sends nothing within the default context's
 * {@linkplain TlsContext#handshakeTimeout() handshake timeout} is closed with a
 * {@link TlsHandshakeTimeoutException}. Keeps per-channel state: one instance per channel.
 */
public final class SniHandler implements ChannelHandler {
    /** The channel attribute holding what this handler chose; set before the TLS handshake. */
    public static final AttributeKey<Selection> SELECTION = AttributeKey.newInstance("io.panamanetty.tls.SniHandler.selection");

    /**
     * What a client asked for and what served it.
     *
     * @param serverName the host name in the client's SNI extension, lower case; null if it sent none
     * @param entry      the {@link SniContexts} entry chosen, e.g. {@code "*.example.org"}; null for the default
     */
    public record Selection(String serverName, String entry) {
    }

    private final SniContexts contexts;
    private final HandshakeTimeout timeout;
    private final PendingWrites writes = new PendingWrites();
    private byte[] received = new byte[512];
    private int length;
    private boolean started;
    /** The TlsHandler is in place: what passes here from now on is its (encrypted) output. */
    private boolean chosen;
    /** No context could be chosen (timeout, a failing entry): the channel is closing, nothing passes. */
    private boolean failed;
    private boolean flushRequested;

    SniHandler(SniContexts contexts, Duration handshakeTimeout) {
        this.contexts = contexts;
        this.timeout = new HandshakeTimeout(handshakeTimeout);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        writes.attach(ctx.channel());
        if (ctx.channel().isActive()) {
            start(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        start(ctx);
        ctx.fireChannelActive();
    }

    private void start(ChannelHandlerContext ctx) {
        if (started) {
            return;
        }
        started = true;
        timeout.start(ctx, expired -> {
            if (!chosen) {
                fail(ctx, expired);
            }
        });
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        if (!(message instanceof Buffer in)) {
            ctx.fireChannelRead(message);
            return;
        }
        if (chosen || failed) {
            in.release();   // not for the application: bytes that no TLS handler decrypted
            return;
        }
        try {
            int incoming = in.readableBytes();
            if (received.length - length < incoming) {
                received = Arrays.copyOf(received, Math.max(received.length * 2, length + incoming));
            }
            System.arraycopy(in.toByteArray(), 0, received, length, incoming);
            length += incoming;
        } finally {
            in.release();
        }
        ClientHelloServerName.Result hello = ClientHelloServerName.find(received, length);
        if (hello.complete()) {
            choose(ctx, hello.serverName());
        }
    }

    /** Puts the chosen context's TlsHandler after this one, hands it what came and what was written, and leaves. */
    private void choose(ChannelHandlerContext ctx, String serverName) {
        chosen = true;
        timeout.cancel();
        TlsHandler tls;
        try {
            TlsContext context = contexts.select(serverName);
            ctx.channel().attr(SELECTION).set(new Selection(serverName, contexts.match(serverName)));
            tls = context.newHandler();
            ctx.pipeline().addAfter(ctx.name(), "tls", tls);
        } catch (RuntimeException e) {
            chosen = false;
            fail(ctx, e);
            return;
        }
        ChannelHandlerContext tlsContext = ctx.pipeline().context(tls);
        try {
            PendingWrites.Write write;
            while ((write = writes.poll()) != null) {
                writes.sent(write.buffer().readableBytes());
                tls.write(tlsContext, write.buffer(), write.promise());
            }
            if (flushRequested) {
                tls.flush(tlsContext);
            }
        } catch (Exception e) {
            writes.failAll(e);
            ctx.fireExceptionCaught(e);
        }
        Buffer hello = ctx.alloc().copyOf(Arrays.copyOf(received, length));
        received = null;
        ctx.fireChannelRead(hello);
        ctx.pipeline().remove(this);
    }

    private void fail(ChannelHandlerContext ctx, Throwable cause) {
        failed = true;
        timeout.cancel();
        writes.failAll(cause);
        received = null;
        ctx.fireExceptionCaught(cause);
        ctx.close();
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object message, ChannelPromise promise) {
        if (chosen) {
            ctx.write(message, promise);   // the TlsHandler's records, until this handler has left
            return;
        }
        if (failed) {
            if (message instanceof Buffer buffer) {
                buffer.release();
            }
            promise.tryFailure(new ClosedChannelException());   // never plaintext past TLS
            return;
        }
        try {
            writes.add(PendingWrites.toBuffer(ctx.alloc(), message), promise);
        } catch (RuntimeException e) {
            promise.tryFailure(e);
        }
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        if (chosen) {
            ctx.flush();
        } else {
            flushRequested = true;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        timeout.cancel();
        writes.failAll(new ClosedChannelException());
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        timeout.cancel();
        writes.failAll(new ClosedChannelException());
        received = null;
    }
}
