package io.panamanetty.bindings;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.PaddingLayout;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Compares every public constant and layout of the bindings with the system headers:
 * the programs in {@code src/test/c} ({@link #PROBES}) are compiled with gcc and print the C values.
 */
class HeaderConformanceTest {
    private static final List<Class<?>> BINDINGS = List.of(Sockets.class, SockAddr.class, Epoll.class,
            EventFd.class, TimerFd.class, FileIo.class, IoVec.class, Pipes.class, ResourceLimits.class,
            Errno.class, SockOpt.class, TcpInfoStruct.class, RegularFiles.class,
            // UDP (issue 12)
            Datagrams.class, MsgHdr.class, Multicast.class,
            // Unix domain sockets (issue 13)
            UnixSockAddr.class, Ucred.class, ScmRights.class,
            // io_uring (issue 18)
            IoUring.class, IoUringParams.class, IoUringSqe.class, IoUringCqe.class, IoUringBufRing.class,
            IoUringProbe.class, MemoryMap.class,
            // the hot calls by number (issue 19)
            Syscalls.class);

    /**
     * The C programs printing the header values, compiled and run separately:
     * {@code <linux/tcp.h>} (for the full {@code struct tcp_info}) clashes with glibc's
     * {@code <netinet/tcp.h>}. Their lines are merged; a line printed twice is an error.
     */
    private static final List<String> PROBES = List.of("conformance.c", "conformance_options.c",
            "conformance_tcp_info.c", "conformance_unix.c", "conformance_io_uring.c");

    /** Java constants that are not C macros, and the C line each is compared with instead. */
    private static final Map<String, String> DERIVED = Map.of(
            "Epoll.EVENT_SIZE", "size epoll_event",   // sizeof(struct epoll_event)
            "IoVec.SIZE", "size iovec",               // sizeof(struct iovec)
            "UnixSockAddr.PATH_OFFSET", "offset sockaddr_un.sun_path",
            "UnixSockAddr.SUN_PATH_SIZE", "fsize sockaddr_un.sun_path",
            "IoUringSqe.SIZE", "size io_uring_sqe",
            "IoUringCqe.SIZE", "size io_uring_cqe");

    /** Layouts without a name of their own, and the C type each stands for. */
    private static final Map<String, String> UNNAMED_LAYOUTS = Map.of("Sockets.SOCKLEN_T", "socklen_t");

    /** Fewer compared items than this means the C output or the reflection broke. */
    private static final int MIN_COMPARED = 300;

    /** The first word of a line for a constant newer than the installed headers. */
    private static final String UNCHECKED = "unchecked ";

    enum Kind { INT, LONG, BYTES }

    /** A Java value and the key ({@code "kind name"}) of the C line it must equal. */
    record Item(String key, String javaName, long value, Kind kind) {
        boolean matches(long c) {
            // An int constant may be an unsigned C value, e.g. EPOLLET = 1u << 31.
            return c == value || (kind == Kind.INT && c == Integer.toUnsignedLong((int) value));
        }

        String format(long v) {
            if (kind == Kind.BYTES) {
                return Long.toString(v);
            }
            return "0x" + (kind == Kind.INT && v == (int) v ? Integer.toHexString((int) v) : Long.toHexString(v));
        }
    }

    /**
     * The comparison: items compared, differences, and the Java names of the items the headers
     * are too old to check (an {@code unchecked} line, printed where a guarded macro is missing).
     */
    record Result(int compared, List<String> mismatches, List<String> unchecked) {
    }

    @Test
    void bindingsMatchTheSystemHeaders(@TempDir Path dir) throws Exception {
        StringBuilder output = new StringBuilder();
        for (String probe : PROBES) {
            output.append(runConformanceProgram(dir, probe)).append('\n');
        }
        Result result = compare(javaItems(), parse(output.toString()), parseUnchecked(output.toString()));
        if (!result.unchecked().isEmpty()) {
            System.out.println("HeaderConformanceTest: " + result.unchecked().size()
                    + " constants newer than the installed headers, not checked: "
                    + String.join(", ", result.unchecked()));
        }

        assertTrue(result.mismatches().isEmpty(), result.mismatches().size()
                + " differences between the bindings and the system headers:\n  "
                + String.join("\n  ", result.mismatches()));
        assertTrue(result.compared() >= MIN_COMPARED,
                "only " + result.compared() + " items compared, expected at least " + MIN_COMPARED);
    }

    @Test
    void comparisonReportsWrongMissingAndUnmatchedValues() {
        List<Item> java = javaItems();
        Map<String, Long> c = new HashMap<>();
        java.forEach(item -> c.put(item.key(), item.value()));
        assertEquals(List.of(), compare(java, c).mismatches());

        c.put("const EPOLLRDHUP", 0x4000L);
        c.remove("offset itimerspec.it_value.tv_nsec");
        c.put("const EXTRA", 1L);
        assertEquals(List.of(
                "Epoll.EPOLLRDHUP: java 0x2000, C 0x4000",
                "TimerFd.ITIMERSPEC.byteOffset(it_value.tv_nsec): no line 'offset itimerspec.it_value.tv_nsec'"
                        + " in conformance.c",
                "conformance.c line 'const EXTRA 1' has no Java counterpart"),
                compare(java, c).mismatches());

        Result empty = compare(java, Map.of());
        assertEquals(0, empty.compared());
        assertEquals(java.size(), empty.mismatches().size());
    }

    @Test
    void constantsNewerThanTheHeadersAreListedAsUnchecked() {
        String output = "const IORING_SETUP_SQPOLL 2\nunchecked const IORING_SETUP_NO_SQARRAY 0\n"
                + "unchecked const NO_SUCH_THING 0\n";
        assertEquals(Map.of("const IORING_SETUP_SQPOLL", 2L), parse(output));
        Set<String> unchecked = parseUnchecked(output);
        assertEquals(Set.of("const IORING_SETUP_NO_SQARRAY", "const NO_SUCH_THING"), unchecked);
        List<Item> java = List.of(
                new Item("const IORING_SETUP_SQPOLL", "IoUring.IORING_SETUP_SQPOLL", 2, Kind.INT),
                new Item("const IORING_SETUP_NO_SQARRAY", "IoUring.IORING_SETUP_NO_SQARRAY", 1 << 16, Kind.INT));
        Result result = compare(java, parse(output), unchecked);
        assertEquals(1, result.compared());
        assertEquals(List.of("IoUring.IORING_SETUP_NO_SQARRAY"), result.unchecked());
        assertEquals(List.of("conformance.c line 'unchecked const NO_SUCH_THING' has no Java counterpart"),
                result.mismatches());
    }

    @Test
    void unsignedCValuesMatchIntConstants() {
        assertEquals(Map.of("const EPOLLET", 0x80000000L, "size linger", 8L),
                parse("const EPOLLET 2147483648\nsize linger 8\n"));
        Item epollet = new Item("const EPOLLET", "Epoll.EPOLLET", Epoll.EPOLLET, Kind.INT);
        assertTrue(epollet.matches(0x80000000L));
        assertTrue(epollet.matches(Epoll.EPOLLET));
        assertTrue(!epollet.matches(0x40000000L));
    }

    /** One item per public int/long constant, and size, alignment and field items per layout. */
    static List<Item> javaItems() {
        List<Item> items = new ArrayList<>();
        for (Class<?> type : BINDINGS) {
            for (Field field : type.getDeclaredFields()) {
                int modifiers = field.getModifiers();
                if (!Modifier.isPublic(modifiers) || !Modifier.isStatic(modifiers) || !Modifier.isFinal(modifiers)) {
                    continue;
                }
                String javaName = type.getSimpleName() + "." + field.getName();
                Object value;
                try {
                    value = field.get(null);
                } catch (IllegalAccessException e) {
                    throw new AssertionError(javaName, e);
                }
                if (DERIVED.containsKey(javaName)) {
                    items.add(new Item(DERIVED.get(javaName), javaName, ((Number) value).longValue(), Kind.BYTES));
                } else if (field.getType() == int.class || field.getType() == long.class) {
                    Kind kind = field.getType() == int.class ? Kind.INT : Kind.LONG;
                    items.add(new Item("const " + field.getName(), javaName, ((Number) value).longValue(), kind));
                } else if (value instanceof MemoryLayout layout) {
                    String cName = UNNAMED_LAYOUTS.containsKey(javaName) ? UNNAMED_LAYOUTS.get(javaName)
                            : layout.name().orElseThrow(() -> new AssertionError(javaName
                                    + " has no name: name it after its C type, or list it in UNNAMED_LAYOUTS"));
                    items.add(new Item("size " + cName, javaName + ".byteSize()", layout.byteSize(), Kind.BYTES));
                    items.add(new Item("align " + cName, javaName + ".byteAlignment()", layout.byteAlignment(),
                            Kind.BYTES));
                    if (layout instanceof GroupLayout group) {
                        addFields(items, javaName, cName, layout, group, List.of());
                    }
                }
            }
        }
        return items;
    }

    /** Offset and size of each named member of {@code group}, recursing into nested structs. */
    private static void addFields(List<Item> items, String javaName, String cName, MemoryLayout root,
                                  GroupLayout group, List<String> prefix) {
        for (MemoryLayout member : group.memberLayouts()) {
            if (member instanceof PaddingLayout) {
                continue;
            }
            List<String> path = new ArrayList<>(prefix);
            path.add(member.name().orElseThrow(() -> new AssertionError(javaName + " has an unnamed member")));
            PathElement[] elements = path.stream().map(PathElement::groupElement).toArray(PathElement[]::new);
            String dotted = String.join(".", path);
            items.add(new Item("offset " + cName + "." + dotted, javaName + ".byteOffset(" + dotted + ")",
                    root.byteOffset(elements), Kind.BYTES));
            items.add(new Item("fsize " + cName + "." + dotted, javaName + ".select(" + dotted + ").byteSize()",
                    root.select(elements).byteSize(), Kind.BYTES));
            if (member instanceof GroupLayout nested) {
                addFields(items, javaName, cName, root, nested, path);
            }
        }
    }

    /** Every mismatch, missing C line and C line without Java counterpart. */
    static Result compare(List<Item> java, Map<String, Long> c) {
        return compare(java, c, Set.of());
    }

    /** As {@link #compare(List, Map)}, with the keys of {@code unchecked} lines listed instead of compared. */
    static Result compare(List<Item> java, Map<String, Long> c, Set<String> unchecked) {
        List<String> mismatches = new ArrayList<>();
        List<String> notChecked = new ArrayList<>();
        Set<String> used = new HashSet<>();
        int compared = 0;
        for (Item item : java) {
            if (unchecked.contains(item.key())) {
                used.add(item.key());
                notChecked.add(item.javaName());
                continue;
            }
            Long cValue = c.get(item.key());
            if (cValue == null) {
                mismatches.add(item.javaName() + ": no line '" + item.key() + "' in conformance.c");
                continue;
            }
            used.add(item.key());
            compared++;
            if (!item.matches(cValue)) {
                mismatches.add(item.javaName() + ": java " + item.format(item.value())
                        + ", C " + item.format(cValue));
            }
        }
        c.keySet().stream().filter(key -> !used.contains(key)).sorted().forEach(key ->
                mismatches.add("conformance.c line '" + key + " " + c.get(key) + "' has no Java counterpart"));
        unchecked.stream().filter(key -> !used.contains(key)).sorted().forEach(key ->
                mismatches.add("conformance.c line 'unchecked " + key + "' has no Java counterpart"));
        return new Result(compared, mismatches, notChecked);
    }

    /** {@code "kind name value"} lines to a map from {@code "kind name"} to value. */
    static Map<String, Long> parse(String output) {
        Map<String, Long> values = new LinkedHashMap<>();
        for (String line : output.strip().split("\n+")) {
            if (line.startsWith(UNCHECKED)) {
                continue;
            }
            String[] parts = line.strip().split("\\s+");
            if (parts.length != 3) {
                fail("unexpected line from conformance.c: '" + line + "'");
            }
            if (values.put(parts[0] + " " + parts[1], Long.parseLong(parts[2])) != null) {
                fail("duplicate line from conformance.c: '" + line + "'");
            }
        }
        return values;
    }

    /**
     * The keys ({@code "kind name"}) of the {@code "unchecked kind name 0"} lines: constants the
     * installed headers are too old to define.
     */
    static Set<String> parseUnchecked(String output) {
        Set<String> keys = new HashSet<>();
        for (String line : output.strip().split("\n+")) {
            if (line.startsWith(UNCHECKED)) {
                String[] parts = line.strip().split("\\s+");
                if (parts.length != 4 || !keys.add(parts[1] + " " + parts[2])) {
                    fail("unexpected or duplicate line from conformance.c: '" + line + "'");
                }
            }
        }
        return keys;
    }

    private static String runConformanceProgram(Path dir, String probe) throws Exception {
        Path source = Path.of(System.getProperty("basedir", "")).toAbsolutePath()
                .resolve("src/test/c/" + probe);
        assertTrue(Files.isRegularFile(source), "missing " + source);
        Path program = dir.resolve(probe.replace(".c", ""));
        Output gcc;
        try {
            gcc = exec("gcc", "-std=gnu11", "-O0", "-Wall", "-Wextra", "-Werror",
                    "-o", program.toString(), source.toString());
        } catch (IOException e) {
            throw new AssertionError("gcc could not be run (" + e.getMessage() + "). The header conformance"
                    + " test needs a C compiler: install gcc (e.g. 'apt-get install gcc').", e);
        }
        if (gcc.exitCode() != 0) {
            fail("gcc could not compile " + source + ":\n" + gcc.text());
        }
        Output run = exec(program.toString());
        if (run.exitCode() != 0) {
            fail(program + " exited with " + run.exitCode() + ":\n" + run.text());
        }
        return run.text();
    }

    private record Output(int exitCode, String text) {
    }

    /** Runs a command, with stderr merged into stdout, for at most 20 seconds. */
    private static Output exec(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        // Every pipe closed here, not when the Process is collected: a later test counting
        // descriptors (NoFdLeaks) would see them vanish under it.
        process.getOutputStream().close();
        process.getErrorStream().close();
        String text;
        try (var out = process.getInputStream()) {
            text = new String(out.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail(String.join(" ", command) + " did not finish in 20 s");
        }
        return new Output(process.exitValue(), text);
    }
}
