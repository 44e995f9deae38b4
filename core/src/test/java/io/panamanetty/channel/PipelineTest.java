package io.panamanetty.channel;

import io.panamanetty.testing.LeakCheck;

import io.panamanetty.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import io.panamanetty.channel.embedded.EmbeddedChannel;
import io.panamanetty.handler.EchoHandler;

@ExtendWith(LeakCheck.class)
class PipelineTest {

    /** Records inbound reads and outbound writes under its name, passing everything on. */
    private static final class Recorder implements ChannelHandler {
        final String name;
        final List<String> log;

        Recorder(String name, List<String> log) {
            this.name = name;
            this.log = log;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            log.add(name + ".read(" + message + ")");
            ctx.fireChannelRead(message);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object message, ChannelPromise promise) {
            log.add(name + ".write(" + message + ")");
            ctx.write(message, promise);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.add(name + ".exceptionCaught(" + cause.getMessage() + ")");
            ctx.fireExceptionCaught(cause);
        }
    }

    @Test
    void inboundFlowsHeadToTailAndOutboundTailToHead() {
        List<String> log = new CopyOnWriteArrayList<>();
        EmbeddedChannel ch = new EmbeddedChannel(new Recorder("a", log), new Recorder("b", log));
        try {
            ch.writeInbound("in");
            ch.writeOutbound("out");
            assertEquals(List.of("a.read(in)", "b.read(in)", "b.write(out)", "a.write(out)"), log);
            assertEquals("in", ch.readInbound());
            assertEquals("out", ch.readOutbound());
        } finally {
            assertFalse(ch.finish());
        }
    }

    @Test
    void ctxWriteSkipsTheHandlersAfterIt() {
        List<String> log = new CopyOnWriteArrayList<>();
        ChannelHandler replier = new ChannelHandler() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object message) {
                ctx.write("reply to " + message);
            }
        };
        EmbeddedChannel ch = new EmbeddedChannel(new Recorder("a", log), replier, new Recorder("c", log));
        try {
            ch.writeInbound("x");
            assertEquals(List.of("a.read(x)", "a.write(reply to x)"), log);
            assertEquals("reply to x", ch.readOutbound());
        } finally {
            assertFalse(ch.finish());
        }
    }

    @Test
    void handlersCanBeAddedReplacedAndRemovedWhileLive() {
        List<String> log = new CopyOnWriteArrayList<>();
        EmbeddedChannel ch = new EmbeddedChannel();
        try {
            ChannelPipeline p = ch.pipeline();
            p.addLast("b", new Recorder("b", log));
            p.addFirst("a", new Recorder("a", log));
            p.addAfter("b", "d", new Recorder("d", log));
            p.addBefore("d", "c", new Recorder("c", log));
            assertEquals(List.of("a", "b", "c", "d"), p.names());
            ch.writeInbound("1");
            ChannelHandler old = p.replace("c", "c2", new Recorder("c2", log));
            assertEquals("c", ((Recorder) old).name);
            p.remove("a");
            assertEquals(List.of("b", "c2", "d"), p.names());
            ch.writeInbound("2");
            assertEquals(List.of("a.read(1)", "b.read(1)", "c.read(1)", "d.read(1)",
                    "b.read(2)", "c2.read(2)", "d.read(2)"), log);
            assertThrows(IllegalArgumentException.class, () -> p.addLast("b", new Recorder("x", log)));
            assertThrows(java.util.NoSuchElementException.class, () -> p.remove("nope"));
            ch.drainInbound();
        } finally {
            ch.finish();
        }
    }

    @Test
    void handlerAddedAndRemovedAreCalledOnTheLoop() throws InterruptedException {
        List<String> log = new CopyOnWriteArrayList<>();
        ChannelHandler lifecycle = new ChannelHandler() {
            @Override
            public void handlerAdded(ChannelHandlerContext ctx) {
                log.add("added on loop=" + ctx.eventLoop().inEventLoop());
            }

            @Override
            public void handlerRemoved(ChannelHandlerContext ctx) {
                log.add("removed on loop=" + ctx.eventLoop().inEventLoop());
            }
        };
        EmbeddedChannel ch = new EmbeddedChannel();
        try {
            ch.pipeline().addLast("l", lifecycle);
            ch.pipeline().remove("l");
            assertEquals(List.of("added on loop=true", "removed on loop=true"), log);
            Thread other = new Thread(() -> ch.pipeline().addLast("m", lifecycle));
            other.start();
            other.join();
            assertEquals(2, log.size(), "handlerAdded ran on the thread that added the handler");
            ch.runPendingTasks();   // the loop runs the callback queued from the other thread
            assertEquals(List.of("added on loop=true", "removed on loop=true", "added on loop=true"), log);
        } finally {
            ch.finish();
        }
    }

    @Test
    void anExceptionThrownByAHandlerReachesItsOwnAndLaterExceptionCaught() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        ChannelHandler thrower = new ChannelHandler() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object message) {
                throw new IllegalStateException("boom");
            }
        };
        EmbeddedChannel ch = new EmbeddedChannel(new Recorder("a", log), thrower, new Recorder("c", log));
        try {
            ch.writeInbound("x");
            assertEquals(List.of("a.read(x)", "c.exceptionCaught(boom)"), log);
            IllegalStateException unhandled = assertThrows(IllegalStateException.class, ch::checkException);
            assertEquals("boom", unhandled.getMessage());
        } finally {
            ch.finish();
        }
    }

    @Test
    void aHandlerThatIsNotSharableCannotSitInTwoPipelines() {
        ChannelHandler single = new ChannelHandlerAdapter() { };
        EchoHandler shared = new EchoHandler();
        EmbeddedChannel first = new EmbeddedChannel(single, shared);
        EmbeddedChannel second = new EmbeddedChannel();
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> second.pipeline().addLast(single));
            assertTrue(e.getMessage().contains("not @ChannelHandler.Sharable"), e.getMessage());
            second.pipeline().addLast(shared);   // @Sharable
        } finally {
            first.finish();
            second.finish();
        }
        EmbeddedChannel third = new EmbeddedChannel(single);   // free again once its channel closed
        third.finish();
    }

    @Test
    void channelInitializerAddsHandlersAndRemovesItself() {
        List<String> log = new CopyOnWriteArrayList<>();
        EmbeddedChannel ch = new EmbeddedChannel(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel channel) {
                channel.pipeline().addLast("a", new Recorder("a", log)).addLast("b", new Recorder("b", log));
            }
        });
        try {
            assertEquals(List.of("a", "b"), ch.pipeline().names());
            ch.writeInbound("x");
            assertEquals(List.of("a.read(x)", "b.read(x)"), log);
            ch.drainInbound();
        } finally {
            ch.finish();
        }
    }

    @Test
    void unconsumedBuffersAreReleasedAndPassedOnesAreNot() {
        ChannelHandler reader = new ChannelHandler() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object message) {
                // reads nothing, passes nothing on: the framework releases it on return
            }
        };
        EmbeddedChannel ch = new EmbeddedChannel(reader);
        EmbeddedChannel passing = new EmbeddedChannel(new ChannelHandlerAdapter() { });
        try {
            Buffer dropped = ch.alloc().copyOf("dropped", StandardCharsets.UTF_8);
            ch.writeInbound(dropped);
            assertEquals(0, dropped.refCnt());
            assertNull(ch.readInbound());

            Buffer kept = passing.alloc().copyOf("kept", StandardCharsets.UTF_8);
            passing.writeInbound(kept);
            Buffer out = passing.readInbound();
            assertSame(kept, out);
            assertEquals(1, out.refCnt());
            assertInstanceOf(Buffer.class, out);
            out.release();
        } finally {
            ch.finish();
            passing.finish();
        }
    }

    @Test
    void addLastAndAddFirstTakeSeveralHandlersInOrder() {
        List<String> log = new CopyOnWriteArrayList<>();
        EmbeddedChannel ch = new EmbeddedChannel();
        try {
            ch.pipeline().addLast(new Recorder("c", log), new Recorder("d", log), new Recorder("e", log));
            ch.pipeline().addFirst(new Recorder("a", log), new Recorder("b", log));
            assertEquals(5, ch.pipeline().names().size());
            ch.writeInbound("x");
            assertEquals(List.of("a.read(x)", "b.read(x)", "c.read(x)", "d.read(x)", "e.read(x)"), log);
            assertEquals("x", ch.readInbound());
            assertThrows(NullPointerException.class, () -> ch.pipeline().addFirst(new Recorder("f", log), null));
            assertEquals(5, ch.pipeline().names().size(), "addFirst checks every handler before adding any");
        } finally {
            assertFalse(ch.finish());
        }
    }
}
