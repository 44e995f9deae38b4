package io.panamanetty.handler;

/**
 * The user event fired by {@link IdleStateHandler}.
 *
 * @param state which direction was idle
 * @param first true for the first event of an idle stretch, false for the repeats
 */
public record IdleStateEvent(IdleState state, boolean first) {
}
