package io.panamanetty.testing;

import io.panamanetty.buffer.BufferStatistics;
import io.panamanetty.buffer.UnpooledBufferAllocator;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The one leak check of every module's tests: fails a test that leaks file descriptors
 * (entries of {@code /proc/self/fd}), buffers (the exact outstanding counts, overall and of
 * the default unpooled allocator), or live non-daemon threads it started. Resources released
 * asynchronously get up to 10 seconds to come back; nothing is judged by the GC. A test
 * method may take an {@link UnpooledBufferAllocator} parameter: a fresh allocator of its own,
 * every buffer of which must be released by the end.
 *
 * <p>Use with {@code @ExtendWith(LeakCheck.class)}; shut your event-loop groups down
 * (e.g. try-with-resources) inside the test. Other modules' tests get it from the core's
 * test jar.
 */
public final class LeakCheck implements BeforeEachCallback, AfterEachCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LeakCheck.class);
    private static final long SETTLE_MILLIS = 10_000;

    static {
        warmUpJdkNetworking();
    }

    /**
     * The JDK's socket implementation opens a descriptor of its own, once, on first
     * use (for closing sockets that other threads block on); open it before any
     * baseline is taken so that it is not counted as a leak.
     */
    private static void warmUpJdkNetworking() {
        // Temporary file names come from a SecureRandom, which keeps /dev/random and
        // /dev/urandom open for the JVM's life once used.
        new java.security.SecureRandom().nextInt();
        try (var server = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
             var client = new java.net.Socket(server.getInetAddress(), server.getLocalPort());
             var accepted = server.accept()) {
            client.getOutputStream().write(1);
            accepted.getInputStream().read();
            client.shutdownOutput();
        } catch (IOException e) {
            throw new AssertionError("loopback networking does not work here", e);
        }
    }

    private record Baseline(Set<String> fds, long buffers, long bytes, long defaultBuffers, Set<String> threads,
                            UnpooledBufferAllocator allocator) {
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NAMESPACE).put("baseline", new Baseline(openFds(), BufferStatistics.outstandingBuffers(),
                BufferStatistics.outstandingBytes(), UnpooledBufferAllocator.DEFAULT.outstandingBuffers(), threadNames(),
                new UnpooledBufferAllocator()));
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == UnpooledBufferAllocator.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getStore(NAMESPACE).get("baseline", Baseline.class).allocator();
    }

    @Override
    public void afterEach(ExtensionContext context) throws InterruptedException {
        Baseline baseline = context.getStore(NAMESPACE).get("baseline", Baseline.class);
        long deadline = System.nanoTime() + SETTLE_MILLIS * 1_000_000;
        String problem;
        while ((problem = leaks(baseline)) != null && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        if (problem != null) {
            throw new AssertionError("leak after " + context.getDisplayName() + ": " + problem);
        }
    }

    private static String leaks(Baseline baseline) {
        StringBuilder problems = new StringBuilder();
        Set<String> fds = openFds();
        fds.removeAll(baseline.fds());
        if (!fds.isEmpty()) {
            problems.append("file descriptors still open: ").append(describeFds(fds)).append("; ");
        }
        long buffers = BufferStatistics.outstandingBuffers() - baseline.buffers();
        if (buffers != 0) {
            problems.append(buffers).append(" buffers outstanding (")
                    .append(BufferStatistics.outstandingBytes() - baseline.bytes()).append(" bytes); ");
        }
        long defaultBuffers = UnpooledBufferAllocator.DEFAULT.outstandingBuffers() - baseline.defaultBuffers();
        if (defaultBuffers != 0) {
            problems.append(defaultBuffers).append(" buffers of the default unpooled allocator outstanding; ");
        }
        if (baseline.allocator().outstandingBuffers() != 0) {
            problems.append(baseline.allocator().outstandingBuffers())
                    .append(" buffers of the test's own allocator outstanding; ");
        }
        Set<String> threads = threadNames();
        threads.removeAll(baseline.threads());
        if (!threads.isEmpty()) {
            problems.append("threads still alive: ").append(threads).append("; ");
        }
        return problems.isEmpty() ? null : problems.toString();
    }

    /** The fd numbers open in this process. */
    public static Set<String> openFds() {
        Set<String> fds;
        try (Stream<Path> entries = Files.list(Path.of("/proc/self/fd"))) {
            fds = entries.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        } catch (IOException e) {
            throw new AssertionError("cannot list /proc/self/fd", e);
        }
        // the listing's own descriptor, closed now: left in, it would hide the next fd a test opens
        fds.removeIf(fd -> !Files.exists(Path.of("/proc/self/fd", fd)));
        return fds;
    }

    private static String describeFds(Set<String> fds) {
        return fds.stream().map(fd -> {
            try {
                return fd + "->" + Files.readSymbolicLink(Path.of("/proc/self/fd", fd));
            } catch (IOException e) {
                return fd;   // closed while we looked
            }
        }).collect(Collectors.joining(", ", "[", "]"));
    }

    private static Set<String> threadNames() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .filter(t -> !t.isDaemon() && !t.isVirtual())   // event-loop threads are non-daemon
                .filter(t -> !t.getName().startsWith("junit-"))   // JUnit's own, e.g. its @Timeout watcher, started once
                .map(t -> t.getName() + "#" + t.threadId())
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
