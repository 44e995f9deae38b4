package io.panamanetty.examples;

import io.panamanetty.channel.EventLoop;
import io.panamanetty.tls.ReplaceableTlsContext;
import io.panamanetty.tls.TlsContext;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Reloads a server's certificate and key while it runs: when one of its files changes (checked
 * every {@link #CHECK_SECONDS} seconds) or on {@code SIGHUP}, builds a new context from the files
 * and makes it the one new connections get; open connections keep theirs. Says so in one line;
 * a new set that does not work (a key that does not fit, say, because only one of the files has
 * been replaced so far) is refused in one line and the server keeps the current pair, trying
 * again at the next change.
 *
 * <p>Why both: polling the files' size, modification time and identity (after following links)
 * is the robust part. It sees an edit in place, a new file renamed over the old one, and a
 * symbolic link switched to a new directory (how Kubernetes updates mounted secrets), on every
 * file system; a {@code WatchService} watches directories, not the files links point to, and
 * inotify sees nothing on network file systems. {@code SIGHUP} is what operators and tools such
 * as certbot's deploy hooks send to ask for a reload at once; the JDK delivers it through
 * {@code sun.misc.Signal} ({@link HangupSignal}), and where that is unavailable
 * (e.g. {@code -Xrs}) the program says so and relies on polling. Every check and reload runs
 * on one event loop, so two never overlap.
 */
final class CertificateReloader {
    /** How often the files are looked at. */
    static final int CHECK_SECONDS = 2;

    private final String program;
    private final List<Path> files;
    private final Supplier<TlsContext> builder;
    private final ReplaceableTlsContext target;
    private final EventLoop loop;
    private final PrintStream out;
    private final PrintStream err;
    private List<Object> lastSeen;
    private volatile boolean stopped;

    /**
     * @param files   the files the context is built from (certificate, key, any CA file)
     * @param builder builds a new context from them; throws {@code IllegalArgumentException} naming what is wrong
     */
    CertificateReloader(String program, List<Path> files, Supplier<TlsContext> builder, ReplaceableTlsContext target,
                        EventLoop loop, PrintStream out, PrintStream err) {
        this.program = program;
        this.files = List.copyOf(files);
        this.builder = builder;
        this.target = target;
        this.loop = loop;
        this.out = out;
        this.err = err;
        this.lastSeen = fileStates();
    }

    /** Starts checking the files, and reloading on {@code SIGHUP} where the JDK allows it. */
    void start() {
        loop.schedule(this::poll, CHECK_SECONDS, TimeUnit.SECONDS);
        try {
            HangupSignal.onHangup(() -> {
                if (!stopped) {
                    loop.execute(() -> reload("SIGHUP"));
                }
            });
        } catch (UnsupportedOperationException e) {
            err.println(program + ": SIGHUP cannot be caught here (" + e.getMessage() + "); the certificate files"
                    + " are still checked for changes every " + CHECK_SECONDS + " s");
        }
    }

    /** Stops checking. */
    void stop() {
        stopped = true;
    }

    private void poll() {
        if (stopped) {
            return;
        }
        try {
            List<Object> now = fileStates();
            if (!now.equals(lastSeen)) {
                reload("a change of " + changed(now));
            }
        } finally {
            if (!stopped) {
                loop.schedule(this::poll, CHECK_SECONDS, TimeUnit.SECONDS);
            }
        }
    }

    /** Builds a context from the files as they are now and makes it current, or keeps the old one. */
    void reload(String reason) {
        lastSeen = fileStates();
        TlsContext next;
        try {
            next = builder.get();
        } catch (RuntimeException e) {
            err.println(program + ": after " + reason + ", kept the current certificate: " + e.getMessage());
            return;
        }
        target.replace(next);
        out.println(program + ": after " + reason + ", reloaded the certificate and key from " + files.get(0)
                + (files.get(1).equals(files.get(0)) ? "" : " and " + files.get(1)) + "; new connections get them");
    }

    private String changed(List<Object> now) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            if (!Objects.equals(now.get(i), lastSeen.get(i)) && !names.contains(files.get(i).toString())) {
                names.add(files.get(i).toString());
            }
        }
        return names.isEmpty() ? "the files" : String.join(" and ", names);
    }

    /** {@return for each file, what tells a new version from the old: size, time and identity, or the error} */
    private List<Object> fileStates() {
        List<Object> states = new ArrayList<>();
        for (Path file : files) {
            try {
                BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
                states.add(List.of(a.size(), a.lastModifiedTime(), String.valueOf(a.fileKey())));
            } catch (IOException e) {
                states.add(e.getClass().getSimpleName());
            }
        }
        return states;
    }
}
