package io.panamanetty.transport.epoll;

import io.panamanetty.bootstrap.Bootstrap;
import io.panamanetty.channel.ChannelFuture;
import io.panamanetty.channel.ChannelHandler;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.DatagramChannel;
import io.panamanetty.channel.EventLoopGroup;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Run in a network namespace by {@link EpollDatagramUnreachableTest} (loopback holding
 * 10.9.0.1/24): a connected UDP channel whose route then goes away (the address is deleted),
 * so the kernel answers every send with ENETUNREACH. Prints what became of two writes.
 */
public final class UnreachableRouteProbe {
    private UnreachableRouteProbe() {
    }

    public static void main(String[] args) throws Exception {
        AtomicInteger reported = new AtomicInteger();
        ChannelHandler counter = new ChannelHandler() {
            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                reported.incrementAndGet();
            }
        };
        try (EventLoopGroup group = new EventLoopGroup(1, "unreachable")) {
            DatagramChannel channel = (DatagramChannel) new Bootstrap().group(group).channel(DatagramChannel.class)
                    .handler(() -> counter).connect("10.9.0.2", 9).sync().channel();
            Process del = new ProcessBuilder("ip", "addr", "del", "10.9.0.1/24", "dev", "lo").inheritIO().start();
            if (del.waitFor() != 0) {
                throw new IllegalStateException("ip addr del failed");
            }
            for (int i = 0; i < 2; i++) {
                ChannelFuture write = channel.writeAndFlush(new byte[] {1, 2, 3});
                boolean done = write.await(60, TimeUnit.SECONDS);
                Throwable cause = done ? write.cause() : null;
                System.out.println("write " + i + ": done=" + done + " failed="
                        + (cause != null && cause.getMessage().contains("ENETUNREACH")));
            }
            System.out.println("reported=" + reported.get() + " open=" + channel.isOpen());
            channel.close().sync();
        }
    }
}
