package io.panamanetty.bootstrap;

import io.panamanetty.channel.ChannelOption;

/**
 * Which options make sense on which kind of channel ({@link ChannelOption#appliesTo()}),
 * checked when a bootstrap is given one: a listening channel's option set on connections
 * (or the other way round) is refused at once, naming where it belongs, not when the first
 * channel is made.
 */
final class OptionKinds {
    private OptionKinds() {
    }

    /** For {@code Bootstrap.option} and {@code ServerBootstrap.childOption}: connections. */
    static <T> ChannelOption<T> forConnections(ChannelOption<T> option, String where) {
        if (!option.appliesTo().fits(ChannelOption.AppliesTo.CONNECTIONS)) {
            throw new IllegalArgumentException(option + " is an option of listening channels, not of connections:"
                    + " set it with ServerBootstrap.option, not " + where);
        }
        return option;
    }

    /** For {@code ServerBootstrap.option}: the listening channel. */
    static <T> ChannelOption<T> forListeners(ChannelOption<T> option) {
        if (!option.appliesTo().fits(ChannelOption.AppliesTo.LISTENERS)) {
            throw new IllegalArgumentException(option + " is an option of connections, not of listening channels:"
                    + " set it with ServerBootstrap.childOption (or Bootstrap.option)");
        }
        return option;
    }
}
