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
        assertFalse(w.peek());
        assertFalse(w.update(0, MARKS), "writable again before the task ran, and no writer saw it: no event now");
        assertTrue(w.isWritable());
        assertFalse(w.announce(), "the task finds the announced state unchanged");
    }

    @Test
    void aWriterThatSawTheUndoneChangeIsToldItIsOver() {
        WaterMarkWritability w = new WaterMarkWritability();
        assertTrue(w.updateLater(100, MARKS), "held bytes: unwritable at once");
        assertFalse(w.isWritable(), "a writer reads false and waits for an event");
        assertTrue(w.update(0, MARKS), "writable again before the task ran: the writer is owed the event now");
        assertTrue(w.isWritable());
        assertFalse(w.announce(), "the task owes nothing more");

        assertTrue(w.updateLater(100, MARKS));
        assertFalse(w.isWritable());
        assertTrue(w.updateLater(0, MARKS), "undone by held bytes too: that event is put off as well");
        assertTrue(w.announce(), "the task tells the writer");
        assertFalse(w.announce(), "once");
    }

    @Test
    void readingFalseAfterTheEventSaidSoOwesOnlyTheEventBack() {
        WaterMarkWritability w = new WaterMarkWritability();
        assertTrue(w.update(100, MARKS), "unwritable, announced");
        assertFalse(w.isWritable(), "the handler reads it in its event");
        assertFalse(w.announce(), "no second unwritable event");
        assertTrue(w.update(0, MARKS), "writable, announced");
        assertFalse(w.announce(), "once");
        assertTrue(w.update(100, MARKS), "unwritable again, announced");
        assertFalse(w.isWritable());
        assertFalse(w.announce(), "events never report unwritable twice in a row");
    }

    @Test
    void peekingIsNobodysView() {
        WaterMarkWritability w = new WaterMarkWritability();
        assertTrue(w.updateLater(100, MARKS));
        assertFalse(w.peek());
        assertFalse(w.update(0, MARKS), "the transport's own check is not a writer waiting");
    }

    @Test
    void aPutOffChangeMetByTheOppositeOneInLineAnnouncesEachOnce() {
        WaterMarkWritability w = new WaterMarkWritability();
        assertTrue(w.update(100, MARKS), "unwritable, announced");
        assertTrue(w.updateLater(0, MARKS), "held bytes released: writable at once");
        assertFalse(w.update(100, MARKS), "unwritable again before the task ran: the last event said so already");
        assertFalse(w.announce(), "the task owes nothing: no writer read false in between");
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
