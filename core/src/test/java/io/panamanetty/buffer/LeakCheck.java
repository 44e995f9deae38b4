package io.panamanetty.buffer;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Gives each test a fresh {@link UnpooledBufferAllocator} (as a parameter) and checks,
 * after the test, that every buffer it allocated was released, and that the process-wide
 * {@link BufferStatistics} are back where they were before the test.
 */
final class LeakCheck implements BeforeEachCallback, AfterEachCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LeakCheck.class);

    private record Before(UnpooledBufferAllocator allocator, long defaultBuffers, long defaultBytes,
                          long globalBuffers, long globalBytes) {
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NAMESPACE).put(Before.class, new Before(new UnpooledBufferAllocator(),
                UnpooledBufferAllocator.DEFAULT.outstandingBuffers(), UnpooledBufferAllocator.DEFAULT.outstandingBytes(),
                BufferStatistics.outstandingBuffers(), BufferStatistics.outstandingBytes()));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Before before = context.getStore(NAMESPACE).get(Before.class, Before.class);
        assertEquals(0, before.allocator().outstandingBuffers(), "buffers leaked by the test's allocator");
        assertEquals(0, before.allocator().outstandingBytes(), "bytes leaked by the test's allocator");
        assertEquals(before.defaultBuffers(), UnpooledBufferAllocator.DEFAULT.outstandingBuffers(),
                "buffers leaked by the default allocator");
        assertEquals(before.defaultBytes(), UnpooledBufferAllocator.DEFAULT.outstandingBytes(),
                "bytes leaked by the default allocator");
        assertEquals(before.globalBuffers(), BufferStatistics.outstandingBuffers(), "buffers leaked overall");
        assertEquals(before.globalBytes(), BufferStatistics.outstandingBytes(), "bytes leaked overall");
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == UnpooledBufferAllocator.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getStore(NAMESPACE).get(Before.class, Before.class).allocator();
    }
}
