package io.panamanetty.channel;

import io.panamanetty.channel.embedded.EmbeddedChannel;
import io.panamanetty.file.FileDescriptorHandle;
import io.panamanetty.testing.LeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ownership rule for received descriptors, through an embedded channel: a descriptor
 * the callback ignores is closed when it returns, one it retains, passes on or closes
 * itself is not closed (again) by the framework.
 */
@ExtendWith(LeakCheck.class)
class DescriptorOwnershipTest {

    private static EmbeddedChannel channel(java.util.function.BiConsumer<ChannelHandlerContext, Object> read) {
        return new EmbeddedChannel(new ChannelHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object message) {
                read.accept(ctx, message);
            }
        });
    }

    @Test
    void anIgnoredDescriptorIsClosedWhenTheCallbackReturns(@TempDir Path dir) throws Exception {
        FileDescriptorHandle handle = FileDescriptorHandle.open(Files.writeString(dir.resolve("f"), "x"));
        EmbeddedChannel ch = channel((ctx, message) -> { });
        ch.writeInbound(handle);
        assertEquals(0, handle.refCnt());
        assertThrows(io.panamanetty.buffer.IllegalReferenceCountException.class, handle::fd);
        assertTrue(handle.toString().endsWith("closed)"), handle.toString());
        ch.finish();
    }

    @Test
    void aRetainedDescriptorStaysOpenWithOneReference(@TempDir Path dir) throws Exception {
        FileDescriptorHandle handle = FileDescriptorHandle.open(Files.writeString(dir.resolve("f"), "x"));
        AtomicReference<FileDescriptorHandle> kept = new AtomicReference<>();
        EmbeddedChannel ch = channel((ctx, message) -> kept.set(((FileDescriptorHandle) message).retain()));
        ch.writeInbound(handle);
        assertEquals(1, kept.get().refCnt());
        kept.get().close();
        assertEquals(0, handle.refCnt());
        handle.close();   // a second close does nothing
        ch.finish();
    }

    @Test
    void aDescriptorClosedOrPassedOnIsNotReleasedAgain(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("f"), "x");
        FileDescriptorHandle closedByHandler = FileDescriptorHandle.open(file);
        EmbeddedChannel closing = channel((ctx, message) -> ((FileDescriptorHandle) message).close());
        closing.writeInbound(closedByHandler);   // a second release by the framework would throw
        closing.checkException();
        closing.finish();

        FileDescriptorHandle passed = FileDescriptorHandle.open(file);
        EmbeddedChannel passing = channel(ChannelHandlerContext::fireChannelRead);
        passing.writeInbound(passed);
        FileDescriptorHandle out = passing.readInbound();
        assertEquals(1, out.refCnt(), "passed on: the next one owns it");
        out.close();
        passing.finish();
    }
}
