package io.panamanetty.transport.epoll;

import io.panamanetty.bootstrap.Bootstrap;
import io.panamanetty.buffer.Buffer;
import io.panamanetty.buffer.BufferAllocator;
import io.panamanetty.channel.Channel;
import io.panamanetty.channel.ChannelHandlerAdapter;
import io.panamanetty.channel.ChannelHandlerContext;
import io.panamanetty.channel.ChannelOption;
import io.panamanetty.channel.DatagramChannel;
import io.panamanetty.channel.DescriptorsTruncatedException;
import io.panamanetty.channel.DomainDatagramPacket;
import io.panamanetty.channel.DomainSocketAddress;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.file.FileDescriptorHandle;
import io.panamanetty.testing.LeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.panamanetty.transport.epoll.EpollDescriptorPassingTest.openDescriptorsOf;
import static io.panamanetty.transport.epoll.EpollDescriptorPassingTest.settle;
import static io.panamanetty.transport.epoll.UnixPeers.TIMEOUT_SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Descriptors passed with Unix domain datagrams ({@code SCM_RIGHTS}) for real: attached to a
 * packet sent to a recipient, or written alone on a connected channel; received before
 * their datagram, read through, and closed; more than the receiver's room is reported and
 * none is left open.
 */
@ExtendWith(LeakCheck.class)
class EpollUnixDatagramDescriptorTest {
    private static final String CONTENTS = "a file passed with a datagram";

    /** Notes each event as text: the file read through a descriptor, or a datagram's bytes. */
    private static final class Events extends ChannelHandlerAdapter {
        final LinkedBlockingQueue<String> events = new LinkedBlockingQueue<>();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) throws Exception {
            if (message instanceof FileDescriptorHandle handle) {
                Buffer buffer = ctx.alloc().allocate(256);
                try (handle) {
                    while (handle.read(buffer) > 0) {
                        // to the end of the file
                    }
                    events.add("file: " + buffer.toString(StandardCharsets.UTF_8));
                } finally {
                    buffer.release();
                }
                return;
            }
            DomainDatagramPacket packet = (DomainDatagramPacket) message;
            events.add("datagram: " + packet.content().toString(StandardCharsets.ISO_8859_1));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            events.add("exception: " + cause.getClass().getSimpleName() + ": " + cause.getMessage());
        }

        String next() throws InterruptedException {
            String event = events.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertNotNull(event, "nothing arrived");
            return event;
        }
    }

    @Test
    void descriptorsGoWithDatagramsAndArriveBeforeThem(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("passed.txt"), CONTENTS);
        Path socket = dir.resolve("receiver.sock");
        Events events = new Events();
        try (EventLoopGroup group = new EventLoopGroup(1, "unix-dgram-fd")) {
            Channel receiver = new Bootstrap().group(group).channel(DatagramChannel.class)
                    .option(ChannelOption.UNIX_RECEIVE_DESCRIPTORS, 2).handler(() -> events).bind(socket).sync().channel();
            Channel sender = new Bootstrap().group(group).channel(DatagramChannel.class)
                    .bind(dir.resolve("sender.sock")).sync().channel();
            DomainSocketAddress to = DomainSocketAddress.of(socket);

            sender.writeAndFlush(new DomainDatagramPacket(BufferAllocator.defaultAllocator().copyOf("with a file",
                    StandardCharsets.UTF_8), to).withDescriptors(FileDescriptorHandle.open(file))).sync();
            assertEquals("file: " + CONTENTS, events.next(), "the descriptor first");
            assertEquals("datagram: with a file", events.next());

            Channel connected = new Bootstrap().group(group).channel(DatagramChannel.class).connect(socket).sync().channel();
            connected.writeAndFlush(FileDescriptorHandle.open(file)).sync();
            assertEquals("file: " + CONTENTS, events.next());
            assertEquals("datagram: \0", events.next(), "alone, it comes with one NUL byte");

            DomainDatagramPacket three = new DomainDatagramPacket(BufferAllocator.defaultAllocator().copyOf("three",
                    StandardCharsets.UTF_8), to).withDescriptors(FileDescriptorHandle.open(file),
                    FileDescriptorHandle.open(file), FileDescriptorHandle.open(file));
            sender.writeAndFlush(three).sync();
            assertEquals(0, three.refCnt(), "sent: the packet and its descriptors are released");
            assertTrue(three.descriptors().stream().allMatch(d -> d.refCnt() == 0));
            String truncated = events.next();
            assertTrue(truncated.startsWith("exception: " + DescriptorsTruncatedException.class.getSimpleName())
                    && truncated.contains("MSG_CTRUNC"), truncated);
            assertEquals("datagram: three", events.next(), "the datagram still arrives");
            assertEquals(0, settle(file), "no descriptor of the file left open");

            DomainDatagramPacket unsent = new DomainDatagramPacket(BufferAllocator.defaultAllocator().copyOf("x",
                    StandardCharsets.UTF_8), DomainSocketAddress.of(dir.resolve("nobody.sock")))
                    .withDescriptors(FileDescriptorHandle.open(file));
            assertEquals(1, openDescriptorsOf(file));
            assertNotNull(sender.writeAndFlush(unsent).await().cause(), "nobody is bound there");
            assertEquals(0, openDescriptorsOf(file), "the failed send closed the packet's descriptor");
            assertInstanceOf(java.nio.channels.NotYetConnectedException.class,
                    sender.writeAndFlush(FileDescriptorHandle.open(file)).await().cause(),
                    "alone, a descriptor needs a connected channel");
            assertEquals(0, settle(file));

            connected.close().sync();
            sender.close().sync();
            receiver.close().sync();
        }
    }

    @Test
    void aCPeerReadsTheFilePassedWithOurDatagramAndAnswersOurAutoboundClient(@TempDir Path dir) throws Exception {
        Path peer = EpollDescriptorPassingTest.buildPeer(dir);
        Path file = Files.writeString(dir.resolve("to-c.txt"), CONTENTS);
        Path socket = dir.resolve("c-dgram.sock");
        Path log = dir.resolve("peer.log");
        Process receiver = new ProcessBuilder(peer.toString(), "dgram", socket.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Events events = new Events();
        try (EventLoopGroup group = new EventLoopGroup(1, "unix-dgram-to-c")) {
            UnixPeers.waitForLine(log, "bound", receiver);
            Channel client = new Bootstrap().group(group).channel(DatagramChannel.class).handler(() -> events)
                    .connect(socket).sync().channel();
            client.writeAndFlush(new DomainDatagramPacket(BufferAllocator.defaultAllocator().copyOf("read this",
                    StandardCharsets.UTF_8), null).withDescriptors(FileDescriptorHandle.open(file))).sync();
            assertEquals("datagram: read this:" + CONTENTS, events.next(), "the C peer read the file we passed");
            assertTrue(receiver.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            assertEquals(0, receiver.exitValue(), Files.readString(log));
            client.close().sync();
            assertEquals(0, settle(file));
        } finally {
            UnixPeers.stop(receiver);
        }
    }
}
