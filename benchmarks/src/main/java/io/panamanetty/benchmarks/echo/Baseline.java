package io.panamanetty.benchmarks.echo;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * An earlier commit's build of panama-netty, for {@code --baseline REV}: the commit's tree
 * is exported with {@code git archive REV | tar -x} (which reads the object store only,
 * leaving the work tree, the index and HEAD alone) into
 * {@code benchmarks/target/baseline-<shortsha>/}, built there once with that tree's own
 * {@code ./mvnw -B -q -ntp -Dmaven.test.skip=true -pl examples -am package}, and that
 * tree's own {@link PanamaEchoServer} (the program the harness runs for the current code)
 * is compiled against the examples jar it built. A later run with the same commit reuses
 * the build.
 *
 * <p>The current server class cannot simply be run against the old jar: it is compiled
 * against the current API, which may have moved on. Each side runs its own commit's
 * server source on its own commit's library.
 */
final class Baseline {
    /** The harness's panama-netty server, relative to the repository root. */
    static final String SERVER_SOURCE = "benchmarks/src/main/java/io/panamanetty/benchmarks/echo/PanamaEchoServer.java";
    /** The shaded examples jar (core included) the build leaves, relative to the tree. */
    static final String EXAMPLES_JAR = "examples/target/panama-netty-examples.jar";
    private static final String SERVER_CLASSES = "server-classes";
    private static final String STAMP = "BASELINE_SHA";
    private static final long BUILD_TIMEOUT_MINUTES = 30;
    private static final Pattern RELEASE =
            Pattern.compile("<maven\\.compiler\\.release>(\\d+)</maven\\.compiler\\.release>");

    /**
     * A ready baseline build.
     *
     * @param revision the revision as given on the command line
     * @param sha the full commit id
     * @param shortSha the abbreviated commit id used in labels and the directory name
     * @param subject the commit's subject line
     * @param dir where the tree was exported and built
     * @param classPath the baseline server's class path: its compiled server classes, then its examples jar
     */
    record Build(String revision, String sha, String shortSha, String subject, Path dir, String classPath) {
    }

    private final Path repo;
    private final Path target;
    private final String revision;
    private final String sha;
    private final String shortSha;
    private final String subject;

    private Baseline(Path repo, Path target, String revision, String sha, String shortSha, String subject) {
        this.repo = repo;
        this.target = target;
        this.revision = revision;
        this.sha = sha;
        this.shortSha = shortSha;
        this.subject = subject;
    }

    /**
     * Finds the commit {@code revision} names in the repository this harness was built from.
     * Throws {@link IllegalArgumentException} with a one-line message if there is no such
     * commit or it has no echo harness to build.
     */
    static Baseline resolve(String revision) {
        Path benchmarks = SourceTree.benchmarksDirectory("--baseline");
        Path repo = Path.of(git(benchmarks, "rev-parse", "--show-toplevel")
                .orElseThrow("--baseline needs the git work tree the harness was built in (" + benchmarks + ")"));
        String sha = git(repo, "rev-parse", "--verify", "--quiet", revision + "^{commit}")
                .orElseThrow("--baseline: '" + revision + "' is not a commit in " + repo);
        String shortSha = git(repo, "rev-parse", "--short", sha).orElseThrow("git rev-parse --short failed");
        if (git(repo, "cat-file", "-e", sha + ":" + SERVER_SOURCE).failed()) {
            throw new IllegalArgumentException("--baseline: " + revision + " (" + shortSha
                    + ") predates the echo harness: it has no " + SERVER_SOURCE);
        }
        String subject = git(repo, "log", "-1", "--format=%s", sha).orElseThrow("git log failed");
        return new Baseline(repo, benchmarks.resolve("target"), revision, sha, shortSha, subject);
    }

    /** The abbreviated commit id. */
    String shortSha() {
        return shortSha;
    }

    /**
     * Returns the build, exporting and building the tree first unless a finished build of
     * this commit is already there. {@code log} hears what is going on.
     */
    Build build(Consumer<String> log) throws IOException {
        Path dir = target.resolve("baseline-" + shortSha);
        Path jar = dir.resolve(EXAMPLES_JAR);
        Path classes = dir.resolve(SERVER_CLASSES);
        Path stamp = dir.resolve(STAMP);
        Build build = new Build(revision, sha, shortSha, subject, dir,
                classes + File.pathSeparator + jar);
        if (Files.isRegularFile(jar) && Files.isRegularFile(stamp)
                && Files.readString(stamp, StandardCharsets.US_ASCII).trim().equals(sha)) {
            log.accept("baseline " + shortSha + ": reusing the build in " + dir);
            return build;
        }
        long start = System.nanoTime();
        deleteTree(dir);
        Files.createDirectories(dir);
        log.accept("baseline " + shortSha + " (" + subject + "): exporting the tree to " + dir);
        export(dir);
        log.accept("baseline " + shortSha + ": building the examples jar (log in " + dir.resolve("build.log")
                + ") ...");
        mavenPackage(dir);
        if (!Files.isRegularFile(jar)) {
            throw new IOException("the baseline build of " + shortSha + " left no " + jar);
        }
        compileServer(dir, classes, jar);
        Files.writeString(stamp, sha + "\n", StandardCharsets.US_ASCII);
        log.accept(String.format(Locale.ROOT, "baseline %s: built in %.0f s", shortSha,
                (System.nanoTime() - start) / 1e9));
        return build;
    }

    /** {@code git archive --format=tar <sha> | tar -x -C dir}. */
    private void export(Path dir) throws IOException {
        Path log = dir.resolve("export.log");
        List<Process> pipeline = ProcessBuilder.startPipeline(List.of(
                new ProcessBuilder("git", "-C", repo.toString(), "archive", "--format=tar", sha)
                        .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())),
                new ProcessBuilder("tar", "-x", "-C", dir.toString())
                        .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)));
        for (Process process : pipeline) {
            if (waitFor(process, 5) != 0) {
                throw new IOException("exporting " + shortSha + " with git archive | tar failed\n" + tail(log));
            }
        }
    }

    /** The tree's own Maven wrapper, with this JVM's JDK. */
    private static void mavenPackage(Path dir) throws IOException {
        Path log = dir.resolve("build.log");
        ProcessBuilder maven = new ProcessBuilder(dir.resolve("mvnw").toString(), "-B", "-q", "-ntp",
                "-Dmaven.test.skip=true", "-pl", "examples", "-am", "package")
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        maven.environment().put("JAVA_HOME", System.getProperty("java.home"));
        int exit = waitFor(maven.start(), BUILD_TIMEOUT_MINUTES);
        if (exit != 0) {
            throw new IOException("building the baseline failed (exit " + exit + ")\n" + tail(log));
        }
    }

    /** Compiles the tree's own echo server (and whatever it uses from its sources) against its jar. */
    private static void compileServer(Path dir, Path classes, Path jar) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IOException("--baseline needs a JDK (javax.tools) to compile the baseline's echo server");
        }
        Files.createDirectories(classes);
        Path sources = dir.resolve("benchmarks/src/main/java");
        List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "-cp", jar.toString(),
                "-sourcepath", sources.toString(), "-proc:none", "-nowarn", "-encoding", "UTF-8"));
        Matcher release = RELEASE.matcher(Files.readString(dir.resolve("pom.xml"), StandardCharsets.UTF_8));
        if (release.find()) {
            args.addAll(List.of("--release", release.group(1)));
        }
        args.add(dir.resolve(SERVER_SOURCE).toString());
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int exit = javac.run(null, errors, errors, args.toArray(String[]::new));
        if (exit != 0) {
            throw new IOException("compiling the baseline's " + SERVER_SOURCE + " failed:\n"
                    + errors.toString(StandardCharsets.UTF_8));
        }
    }

    /** The outcome of one git command: its first output line, or a failure. */
    private record GitResult(int exit, String output) {
        boolean failed() {
            return exit != 0;
        }

        String orElseThrow(String message) {
            if (exit != 0 || output.isEmpty()) {
                throw new IllegalArgumentException(message);
            }
            return output;
        }
    }

    private static GitResult git(Path dir, String... args) {
        List<String> command = new ArrayList<>(List.of("git", "-C", dir.toString()));
        command.addAll(List.of(args));
        try {
            Process git = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            int exit = waitFor(git, 1);
            return new GitResult(exit, out.lines().findFirst().orElse(""));
        } catch (IOException e) {
            throw new IllegalArgumentException("--baseline needs git: " + e.getMessage());
        }
    }

    private static int waitFor(Process process, long minutes) throws IOException {
        try {
            if (!process.waitFor(minutes, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IOException("gave up after " + minutes + " min: " + process.info().commandLine().orElse("?"));
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            List<String> last = lines.subList(Math.max(0, lines.size() - 40), lines.size());
            return "--- " + log + " ---\n" + String.join("\n", last);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
