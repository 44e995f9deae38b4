package io.panamanetty.buffer;

import java.util.Locale;

/**
 * Holds the allocator {@link BufferAllocator#defaultAllocator()} returns, chosen once from
 * the system property {@value #PROPERTY}: {@code pooled} (the default) or {@code unpooled}.
 */
final class DefaultAllocator {
    /** The system property choosing the default allocator. */
    static final String PROPERTY = "io.panamanetty.allocator";

    static final BufferAllocator INSTANCE = choose(System.getProperty(PROPERTY, "pooled"));

    private DefaultAllocator() {
    }

    static BufferAllocator choose(String kind) {
        return switch (kind.trim().toLowerCase(Locale.ROOT)) {
            case "pooled" -> PooledBufferAllocator.DEFAULT;
            case "unpooled" -> UnpooledBufferAllocator.DEFAULT;
            default -> {
                System.getLogger(DefaultAllocator.class.getName()).log(System.Logger.Level.WARNING,
                        "unknown " + PROPERTY + " '" + kind + "' (expected: pooled or unpooled); using pooled");
                yield PooledBufferAllocator.DEFAULT;
            }
        };
    }
}
