package io.panamanetty.transport.epoll;

import io.panamanetty.bootstrap.ServerBootstrap;
import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelFuture;
import io.panamanetty.channel.ChannelOption;
import io.panamanetty.channel.EventLoopGroup;

/**
 * Run by {@link EpollFreeBindTest} in a network namespace of its own: binds a listener to
 * 10.200.0.1, an address no interface there has, plainly (refused), with {@code IP_FREEBIND}
 * and with {@code IP_TRANSPARENT} (both accepted). Prints one line per bind.
 */
public final class FreeBindProbe {
    private FreeBindProbe() {
    }

    /** Runs the three binds. */
    public static void main(String[] args) throws Exception {
        try (EventLoopGroup group = new EventLoopGroup(1, "free-bind")) {
            bind(group, "plain", null);
            bind(group, "freebind", EpollChannelOption.IP_FREEBIND);
            bind(group, "transparent", EpollChannelOption.IP_TRANSPARENT);
        }
    }

    private static void bind(EventLoopGroup group, String name, ChannelOption<Boolean> option) throws Exception {
        ServerBootstrap bootstrap = new ServerBootstrap().group(group);
        if (option != null) {
            bootstrap.option(option, true);
        }
        ChannelFuture bound = bootstrap.bind("10.200.0.1", 0);
        bound.await();
        if (bound.isSuccess()) {
            Channel server = bound.channel();
            System.out.println(name + " bind ok " + server.localAddress()
                    + (option != null ? " " + option + "=" + server.config().getOption(option) : ""));
            server.close().sync();
        } else {
            System.out.println(name + " bind failed: " + bound.cause().getMessage());
        }
    }
}
