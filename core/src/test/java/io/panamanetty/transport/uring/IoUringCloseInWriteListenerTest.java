package io.panamanetty.transport.uring;

import io.panamanetty.bootstrap.Bootstrap;
import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelFuture;
import io.panamanetty.channel.ChannelOption;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.testing.LeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three writes leave in one WRITEV; the first one's listener closes the channel, with nothing
 * else in flight (auto-read off). The kernel sent all three, so all three promises succeed and
 * the peer gets every byte: the close waits for the completion being handed out to finish
 * (before, the channel went quiet inside it and the other two failed with ClosedChannelException).
 */
@ExtendWith(LeakCheck.class)
class IoUringCloseInWriteListenerTest {

    @Test
    void writesTheKernelSentSucceedEvenIfAnEarlierOnesListenerClosed() throws Exception {
        try (EventLoopGroup group = new EventLoopGroup(1, "uring-close-listener", new IoUringIoHandlerFactory());
             ServerSocket listener = new ServerSocket(0, 4, InetAddress.getLoopbackAddress())) {
            Channel channel = new Bootstrap().group(group).option(ChannelOption.AUTO_READ, false)
                    .handler(() -> new io.panamanetty.channel.ChannelHandlerAdapter() { })
                    .connect("127.0.0.1", listener.getLocalPort()).sync().channel();
            try (Socket peer = listener.accept()) {
                peer.setSoTimeout(30_000);
                ChannelFuture[] writes = channel.eventLoop().submit(() -> {
                    ChannelFuture first = channel.write("one ".getBytes(StandardCharsets.US_ASCII));
                    first.addListener(f -> channel.close());
                    ChannelFuture second = channel.write("two ".getBytes(StandardCharsets.US_ASCII));
                    ChannelFuture third = channel.writeAndFlush("three".getBytes(StandardCharsets.US_ASCII));
                    return new ChannelFuture[] {first, second, third};
                }).get(30, TimeUnit.SECONDS);
                for (ChannelFuture write : writes) {
                    assertTrue(write.await(30, TimeUnit.SECONDS));
                    assertNull(write.cause(), "a write the kernel sent failed");
                }
                InputStream in = peer.getInputStream();
                assertEquals("one two three", new String(in.readAllBytes(), StandardCharsets.US_ASCII));
            }
            channel.closeFuture().sync();
        }
    }
}
