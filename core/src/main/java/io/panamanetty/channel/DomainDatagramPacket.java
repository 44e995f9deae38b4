package io.panamanetty.channel;

import io.panamanetty.buffer.Buffer;
import io.panamanetty.buffer.ReferenceCounted;

import java.util.List;
import java.util.Objects;

/**
 * One datagram of a Unix domain datagram socket ({@link DomainDatagramChannel}): its bytes,
 * where it goes and where it came from, as {@link DomainSocketAddress}es (a socket file, an
 * {@code @abstract} name, or {@linkplain DomainSocketAddress#unnamed() unnamed} for a sender
 * that never bound, which cannot be answered). The UDP {@link DatagramPacket} carries
 * Internet addresses; this is its counterpart, with the same reference counting: the
 * packet's count is its content's, and the ownership rule for buffers applies to the content.
 * An echo: {@code ctx.write(((DomainDatagramPacket) msg).turnAround())}.
 *
 * <p>A packet to send may carry descriptors ({@link #withDescriptors}), passed with it
 * ({@code SCM_RIGHTS}); the packet owns them, and the release that frees its content
 * closes them too. Received descriptors are not attached: the channel fires each on its own,
 * before the packet they came with.
 */
public final class DomainDatagramPacket implements ReferenceCounted {
    private final Buffer content;
    private DomainSocketAddress recipient;
    private DomainSocketAddress sender;
    private List<PassableDescriptor> descriptors = List.of();

    /**
     * A datagram to send to {@code recipient} (null: to the peer of a connected channel).
     * The content's reference passes to the packet.
     */
    public DomainDatagramPacket(Buffer content, DomainSocketAddress recipient) {
        this(content, recipient, null);
    }

    /** A datagram with both ends known, as a channel fires it. */
    public DomainDatagramPacket(Buffer content, DomainSocketAddress recipient, DomainSocketAddress sender) {
        this.content = Objects.requireNonNull(content, "content");
        this.recipient = recipient;
        this.sender = sender;
    }

    /** The most descriptors one datagram may carry (the kernel's {@code SCM_MAX_FD}). */
    public static final int MAX_DESCRIPTORS = 253;

    /**
     * Attaches {@code passed} to be sent with this datagram; their references pass to the
     * packet (replacing any attached before, which are released).
     *
     * @return this packet
     * @throws IllegalArgumentException for more than {@link #MAX_DESCRIPTORS}
     */
    public DomainDatagramPacket withDescriptors(PassableDescriptor... passed) {
        if (passed.length > MAX_DESCRIPTORS) {
            throw new IllegalArgumentException("a datagram carries at most " + MAX_DESCRIPTORS + " descriptors, not "
                    + passed.length);
        }
        List<PassableDescriptor> before = descriptors;
        descriptors = List.of(passed);
        releaseAll(before);
        return this;
    }

    /** The descriptors to send with this datagram (none for a received one). */
    public List<PassableDescriptor> descriptors() {
        return descriptors;
    }

    private static void releaseAll(List<PassableDescriptor> list) {
        for (PassableDescriptor descriptor : list) {
            if (descriptor.refCnt() > 0) {
                descriptor.release();
            }
        }
    }

    /** The datagram's bytes (its readable bytes are the datagram). */
    public Buffer content() {
        return content;
    }

    /** Where the datagram goes (a received one: the channel's local address); may be null. */
    public DomainSocketAddress recipient() {
        return recipient;
    }

    /** Where the datagram came from; null for one made to be sent. */
    public DomainSocketAddress sender() {
        return sender;
    }

    /**
     * Turns this packet around to answer its sender: the sender becomes the recipient and the
     * recipient the sender; the content and its reference stay. Returns this very packet.
     *
     * @throws IllegalStateException if the packet has no sender, or an unnamed one (which cannot be answered)
     */
    public DomainDatagramPacket turnAround() {
        if (sender == null || sender.isUnnamed()) {
            throw new IllegalStateException("a packet from " + (sender == null ? "nobody" : "an unnamed socket")
                    + " cannot be answered: " + this);
        }
        DomainSocketAddress from = sender;
        sender = recipient;
        recipient = from;
        return this;
    }

    /** A packet with the same addresses around {@code newContent} (whose reference passes to it). */
    public DomainDatagramPacket replace(Buffer newContent) {
        return new DomainDatagramPacket(newContent, recipient, sender);   // descriptors stay with this one
    }

    @Override
    public int refCnt() {
        return content.refCnt();
    }

    @Override
    public DomainDatagramPacket retain() {
        content.retain();
        return this;
    }

    /** Releases a reference of the content; the last one also closes the attached descriptors. */
    @Override
    public boolean release() {
        boolean freed = content.release();
        if (freed && !descriptors.isEmpty()) {
            releaseAll(descriptors);
        }
        return freed;
    }

    @Override
    public DomainDatagramPacket touch(Object hint) {
        content.touch(hint);
        return this;
    }

    @Override
    public String toString() {
        return "DomainDatagramPacket(" + (content.refCnt() > 0 ? content.readableBytes() + " B" : "released")
                + (sender != null ? ", from " + sender : "") + (recipient != null ? ", to " + recipient : "")
                + (descriptors.isEmpty() ? "" : ", " + descriptors.size() + " descriptors") + ")";
    }
}
