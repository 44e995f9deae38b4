package io.panamanetty.bootstrap;

import io.panamanetty.channel.ChannelOption;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An option of the other kind of channel is refused when it is given, naming where it belongs. */
class BootstrapOptionsTest {

    @Test
    void aBacklogOnConnectionsIsRefusedAtOnce() {
        IllegalArgumentException client = assertThrows(IllegalArgumentException.class,
                () -> new Bootstrap().option(ChannelOption.SO_BACKLOG, 128));
        assertTrue(client.getMessage().contains("ServerBootstrap.option"), client.getMessage());
        IllegalArgumentException child = assertThrows(IllegalArgumentException.class,
                () -> new ServerBootstrap().childOption(ChannelOption.SO_BACKLOG, 128));
        assertTrue(child.getMessage().contains("listening channels"), child.getMessage());
    }

    @Test
    void halfClosureOnTheListenerIsRefusedAtOnce() {
        IllegalArgumentException server = assertThrows(IllegalArgumentException.class,
                () -> new ServerBootstrap().option(ChannelOption.ALLOW_HALF_CLOSURE, true));
        assertTrue(server.getMessage().contains("childOption"), server.getMessage());
    }

    @Test
    void theOptionsOfEachKindAreTakenWhereTheyBelong() {
        new ServerBootstrap().option(ChannelOption.SO_BACKLOG, 128).childOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        new Bootstrap().option(ChannelOption.ALLOW_HALF_CLOSURE, true).option(ChannelOption.TCP_NODELAY, false);
    }
}
