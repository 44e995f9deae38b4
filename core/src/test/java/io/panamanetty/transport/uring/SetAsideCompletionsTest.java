package io.panamanetty.transport.uring;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Completions set aside while an SQE is got: kept in order, past the first arrays, and handed out once. */
class SetAsideCompletionsTest {

    @Test
    void completionsComeBackInOrderOnceEach() {
        SetAsideCompletions aside = new SetAsideCompletions();
        for (int i = 0; i < 40; i++) {   // past the 16 the arrays start with
            aside.add(1000 + i, -i, i * 2);
        }
        assertEquals(40, aside.size());
        List<String> seen = new ArrayList<>();
        aside.dispatch((userData, res, flags) -> seen.add(userData + "/" + res + "/" + flags));
        assertEquals(40, seen.size());
        for (int i = 0; i < 40; i++) {
            assertEquals((1000 + i) + "/" + (-i) + "/" + (i * 2), seen.get(i));
        }
        assertEquals(0, aside.size());
        aside.dispatch((userData, res, flags) -> seen.add("again"));
        assertEquals(40, seen.size(), "handed out once only");
    }

    @Test
    void aConsumerThatThrowsLeavesTheRestForTheNextDispatch() {
        SetAsideCompletions aside = new SetAsideCompletions();
        for (int i = 0; i < 3; i++) {
            aside.add(i, 0, 0);
        }
        List<Long> seen = new ArrayList<>();
        assertThrows(IllegalStateException.class, () -> aside.dispatch((userData, res, flags) -> {
            seen.add(userData);
            if (userData == 1) {
                throw new IllegalStateException("a failing owner");
            }
        }));
        assertEquals(1, aside.size(), "the one after the throw is still kept");
        aside.dispatch((userData, res, flags) -> seen.add(userData));
        assertEquals(List.of(0L, 1L, 2L), seen);
    }
}
