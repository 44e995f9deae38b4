package io.panamanetty.benchmarks.echo;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the harness was built: the benchmarks module inside the repository's work tree. */
final class SourceTree {
    private SourceTree() {
    }

    /**
     * The benchmarks module's directory: two levels above {@code target/classes}, where this
     * class lives. {@code purpose} (an option, say) names what needs it in the error.
     *
     * @throws IllegalArgumentException if the harness does not run from its source tree
     */
    static Path benchmarksDirectory(String purpose) {
        Path classes;
        try {
            classes = Path.of(SourceTree.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | RuntimeException e) {
            throw new IllegalArgumentException(purpose + " cannot tell where the harness was built: " + e);
        }
        Path benchmarks = classes.getParent() == null ? null : classes.getParent().getParent();
        if (benchmarks == null || !Files.isRegularFile(benchmarks.resolve("pom.xml"))
                || !Files.isDirectory(benchmarks.resolve("src"))) {
            throw new IllegalArgumentException(purpose + " needs the harness run from its source tree"
                    + " (benchmarks/run), not from " + classes);
        }
        return benchmarks;
    }
}
