package io.panamanetty.examples;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Certificates made with openssl at test time, for the TLS tests of the examples. */
public final class TestCertificates {
    private TestCertificates() {
    }

    /**
     * A self-signed certificate for localhost and 127.0.0.1 ({@code cert}), its key
     * ({@code key}) and both in one file ({@code combined}); the certificate is its own CA.
     */
    public record Certificate(Path cert, Path key, Path combined) {
    }

    /** Makes a self-signed certificate named {@code name} in {@code dir}. */
    public static Certificate selfSigned(Path dir, String name) throws Exception {
        Path cert = dir.resolve(name + "-cert.pem");
        Path key = dir.resolve(name + "-key.pem");
        run(dir, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-days", "2",
                "-keyout", key.toString(), "-out", cert.toString());
        Path combined = dir.resolve(name + "-both.pem");
        Files.writeString(combined, Files.readString(cert) + Files.readString(key));
        return new Certificate(cert, key, combined);
    }

    /** Runs a command to completion with its output in a file of {@code dir}; fails if the command does. */
    public static void run(Path dir, String... command) throws Exception {
        File log = dir.resolve("cmd-" + System.nanoTime() + ".log").toFile();
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process process = TestSupport.startTool(builder, command[0]);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("timed out: " + List.of(command));
        }
        if (process.exitValue() != 0) {
            throw new AssertionError(List.of(command) + " failed: " + Files.readString(log.toPath()));
        }
    }
}
