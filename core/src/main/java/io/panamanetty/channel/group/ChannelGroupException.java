package io.panamanetty.channel.group;

import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelException;

import java.io.Serial;
import java.util.List;
import java.util.Map;

/**
 * Why a {@link ChannelGroupFuture} failed: the channels whose operation failed, each with
 * its cause (also attached as suppressed exceptions, so a stack trace shows them).
 */
public final class ChannelGroupException extends ChannelException {
    @Serial
    private static final long serialVersionUID = 1L;

    private final transient List<Map.Entry<Channel, Throwable>> failures;

    /** @param failures each failed channel with its cause; at least one */
    public ChannelGroupException(List<Map.Entry<Channel, Throwable>> failures) {
        super(describe(failures));
        this.failures = List.copyOf(failures);
        for (Map.Entry<Channel, Throwable> failure : this.failures) {
            addSuppressed(failure.getValue());
        }
    }

    /** The channels whose operation failed, each with its cause, in no particular order. */
    public List<Map.Entry<Channel, Throwable>> failures() {
        return failures;
    }

    private static String describe(List<Map.Entry<Channel, Throwable>> failures) {
        if (failures.isEmpty()) {
            throw new IllegalArgumentException("a group failure without a failed channel");
        }
        Map.Entry<Channel, Throwable> first = failures.getFirst();
        String more = failures.size() > 1 ? " and " + (failures.size() - 1) + " more" : "";
        return failures.size() + " channel(s) failed, first " + first.getKey() + ": " + first.getValue() + more;
    }
}
