package io.panamanetty.channel;

import io.panamanetty.channel.embedded.EmbeddedChannel;
import io.panamanetty.testing.LeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@link ChannelFuture#removeListener}: a removed listener is not called; one registration goes per removal. */
@ExtendWith(LeakCheck.class)
class FutureListenerRemovalTest {

    @Test
    void aRemovedListenerIsNotCalled() {
        EmbeddedChannel ch = new EmbeddedChannel();
        try {
            List<String> calls = new ArrayList<>();
            ChannelFutureListener kept = f -> calls.add("kept");
            ChannelFutureListener twice = f -> calls.add("twice");
            ChannelFutureListener removed = f -> calls.add("removed");
            ch.closeFuture().addListener(kept).addListener(twice).addListener(removed).addListener(twice);
            ch.closeFuture().removeListener(removed).removeListener(twice).removeListener(f -> { });
            ch.close();
            assertEquals(List.of("kept", "twice"), calls, "one of the two registrations of 'twice' was taken back");
        } finally {
            ch.finish();
        }
    }

    @Test
    void theVoidPromiseRefusesListeners() {
        ChannelHandlerAdapter handler = new ChannelHandlerAdapter() { };
        EmbeddedChannel ch = new EmbeddedChannel(handler);
        try {
            ChannelPromise voidPromise = ch.pipeline().context(handler).voidPromise();
            assertThrows(IllegalStateException.class, () -> voidPromise.removeListener(f -> { }));
        } finally {
            ch.finish();
        }
    }
}
