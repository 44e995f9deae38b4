package io.panamanetty.examples.readme;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.bootstrap.Bootstrap;
import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelHandlerAdapter;
import io.panamanetty.channel.ChannelHandlerContext;

import java.nio.charset.StandardCharsets;

/**
 * py-netty's "As TCP client" example: send an HTTP GET, print what comes back,
 * close when Enter is pressed.
 */
public final class ReadmeTcpClient {
    private ReadmeTcpClient() {
    }

    /** Prints each chunk of the response as it arrives. */
    static class HttpHandler extends ChannelHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object buffer) {
            System.out.print(((Buffer) buffer).toString(StandardCharsets.UTF_8));
        }
    }

    /** Arguments: host (default www.google.com) and port (default 80). */
    public static void main(String[] args) throws Exception {
        String remoteAddress = args.length > 0 ? args[0] : "www.google.com";
        int remotePort = args.length > 1 ? Integer.parseInt(args[1]) : 80;
        Channel channel = sendGet(remoteAddress, remotePort);
        System.in.read();   // pause
        channel.close();
    }

    /** Connects and sends the request; the handler prints the response as it comes. */
    static Channel sendGet(String remoteAddress, int remotePort) throws InterruptedException {
        Bootstrap b = new Bootstrap().handler(HttpHandler::new);
        Channel channel = b.connect(remoteAddress, remotePort).sync().channel();
        String request = "GET / HTTP/1.1\r\nHost: " + remoteAddress + "\r\n\r\n";
        channel.write(request.getBytes(StandardCharsets.UTF_8));
        return channel;
    }
}
