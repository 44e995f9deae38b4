package io.panamanetty.channel.internal;

import io.panamanetty.channel.ChannelConfig;
import io.panamanetty.channel.ChannelOption;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The water marks' state and the events it owes, when some events are put off to a later task. */
class WaterMarkWritabilityTest {
    private static final ChannelConfig MARKS = new ChannelConfig() { }
            .setOption(ChannelOption.WRITE_BUFFER_LOW_WATER_MARK, 8)
            .setOption(ChannelOption.WRITE_BUFFER_HIGH_WATER_MARK, 32);

    @Test
    void eventsAreOwedOnlyWhereTheMarksAreCrossed() {
        WaterMarkWritability w = new WaterMarkWritability();
        assertFalse(w.update(32, MARKS), "at the high mark: still writable");
        assertTrue(w.update(33, MARKS), "above it: unwritable, announced");
        assertFalse(w.isWritable());
        assertFalse(w.update(8, MARKS), "at the low mark: still unwritable");
        assertTrue(w.update(7, MARKS), "below it: writable, announced");
        assertTrue(w.isWritable());
        assertFalse(w.announce(), "nothing left to announce");
    }

    @Test
    void aPutOffChangeUndoneBeforeItsTaskRunsAnnouncesNothing() {
        WaterMarkWritability w = new WaterMarkWritability();
        assertTrue(w.updateLater(100, MARKS), "held bytes: unwritable at once");
        assertFalse(w.isWritable());
        assertFalse(w.update(0, MARKS), "writable again before the task ran: no event now");
        assertTrue(w.isWritable());
        assertFalse(w.announce(), "the task finds the announced state unchanged");
    }

    @Test
    void aPutOffChangeMetByTheOppositeOneInLineAnnouncesEachOnce() {
        WaterMarkWritability w = new WaterMarkWritability();
        assertTrue(w.update(100, MARKS), "unwritable, announced");
        assertTrue(w.updateLater(0, MARKS), "held bytes released: writable at once");
        assertFalse(w.update(100, MARKS), "unwritable again before the task ran: the last event said so already");
        assertFalse(w.announce(), "the task owes nothing: events never repeat a value");
        assertTrue(w.update(0, MARKS), "writable, announced");
        assertTrue(w.isWritable());
    }

    @Test
    void aPutOffChangeIsAnnouncedByItsTaskOnce() {
        WaterMarkWritability w = new WaterMarkWritability();
        assertTrue(w.updateLater(100, MARKS));
        assertTrue(w.announce(), "the task announces the change");
        assertFalse(w.announce(), "once");
    }
}
