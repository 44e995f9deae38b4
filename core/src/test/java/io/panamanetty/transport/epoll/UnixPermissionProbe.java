package io.panamanetty.transport.epoll;

import io.panamanetty.bootstrap.Bootstrap;
import io.panamanetty.bootstrap.ServerBootstrap;
import io.panamanetty.channel.ChannelFuture;
import io.panamanetty.channel.EventLoopGroup;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Run by {@link EpollUnixPermissionTest} as an unprivileged user: binds a server at
 * {@code args[0]} and connects to {@code args[1]}, printing one line per outcome
 * ({@code ok}, or the failure's message).
 */
public final class UnixPermissionProbe {
    private UnixPermissionProbe() {
    }

    public static void main(String[] args) throws Exception {
        try (EventLoopGroup group = new EventLoopGroup(1, "permission-probe")) {
            ChannelFuture bind = new ServerBootstrap().group(group, group).bind(Path.of(args[0]));
            System.out.println(outcome(bind));
            if (bind.isSuccess()) {
                bind.channel().close().sync();
            }
            ChannelFuture connect = new Bootstrap().group(group).connect(Path.of(args[1]));
            System.out.println(outcome(connect));
            if (connect.isSuccess()) {
                connect.channel().close().sync();
            }
        }
    }

    private static String outcome(ChannelFuture future) throws InterruptedException {
        if (!future.await(30, TimeUnit.SECONDS)) {
            return "not done in 30 s";
        }
        return future.isSuccess() ? "ok" : future.cause().getClass().getSimpleName() + ": " + future.cause().getMessage();
    }
}
