package io.panamanetty.examples.readme;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.bootstrap.Bootstrap;
import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelHandlerAdapter;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.tls.TlsContext;

import java.nio.charset.StandardCharsets;

/**
 * py-netty's "As TCP client (TLS)" example: {@code Bootstrap(handler_initializer=HttpHandler,
 * tls=True, verify=True)}; send an HTTP GET over TLS, print what comes back, close when
 * Enter is pressed. The server's certificate is verified (JDK trust store, host name).
 */
public final class ReadmeTlsClient {
    private ReadmeTlsClient() {
    }

    /** Prints each chunk of the response as it arrives. */
    static class HttpHandler extends ChannelHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object buffer) {
            System.out.print(((Buffer) buffer).toString(StandardCharsets.UTF_8));
        }
    }

    /** Arguments: host (default www.google.com) and port (default 443). */
    public static void main(String[] args) throws Exception {
        String remoteAddress = args.length > 0 ? args[0] : "www.google.com";
        int remotePort = args.length > 1 ? Integer.parseInt(args[1]) : 443;
        Bootstrap b = new Bootstrap().handler(HttpHandler::new).tls(true);   // tls=True, verify=True
        Channel channel = b.connect(remoteAddress, remotePort).sync().channel();
        String request = "GET / HTTP/1.1\r\nHost: " + remoteAddress + "\r\n\r\n";
        // py-netty's write() sends at once; here write() sends too (encrypted when the loop's
        // turn ends, after the handshake); writeAndFlush() only sends without waiting for that
        channel.writeAndFlush(request.getBytes(StandardCharsets.UTF_8));
        System.in.read();   // pause
        channel.close();
    }

    /**
     * The same, with the TLS settings of {@code tls} (e.g. a test CA) instead of the JDK's
     * trust store: connects, handshakes, sends the request; the handler prints the response.
     */
    static Channel sendGet(String remoteAddress, int remotePort, TlsContext tls) throws InterruptedException {
        Bootstrap b = new Bootstrap().handler(HttpHandler::new).tls(tls);
        Channel channel = b.connect(remoteAddress, remotePort).sync().channel();
        String request = "GET / HTTP/1.1\r\nHost: " + remoteAddress + "\r\n\r\n";
        channel.writeAndFlush(request.getBytes(StandardCharsets.UTF_8));
        return channel;
    }
}
