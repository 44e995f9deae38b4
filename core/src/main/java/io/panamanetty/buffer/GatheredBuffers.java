package io.panamanetty.buffer;

/**
 * Bytes held by several buffers, in order, that a channel sends in one gathering write
 * ({@code writev}) without copying them: what a transport sees of a {@link CompositeBuffer}.
 *
 * <p>A channel writing one takes its readable components one by one, each carrying a
 * reference the channel then owns, queues them as consecutive writes, and releases this
 * object:
 * <pre>{@code
 * int count = gathered.componentCount();
 * for (int i = 0; i < count; i++) {
 *     queue(gathered.takeComponent(i));
 * }
 * gathered.release();
 * }</pre>
 */
public interface GatheredBuffers extends ReferenceCounted {

    /** {@return how many components hold readable bytes} */
    int componentCount();

    /**
     * Hands over the {@code index}-th component holding readable bytes (0 to
     * {@link #componentCount()} - 1), its indices set to the readable range, with a reference
     * the caller now owns. Each component is taken at most once, before the final
     * {@link #release()}; the components not taken are released with this object.
     *
     * @param index which readable component
     * @return the component, or a retained slice of it if this object is shared
     */
    Buffer takeComponent(int index);
}
