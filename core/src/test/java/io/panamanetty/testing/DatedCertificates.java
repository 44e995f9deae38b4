package io.panamanetty.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Certificates valid only between given dates (e.g. expired ones), made with openssl at test time; for every module's tests. */
public final class DatedCertificates {
    private DatedCertificates() {
    }

    /** A CA (valid now) and a leaf for localhost / 127.0.0.1 that it signed, valid from {@code start} to {@code end}. */
    public record Chain(Path ca, Path leaf, Path leafKey) {
    }

    /**
     * OpenSSL 3.0's {@code req}/{@code x509} take no start date, so the leaf is signed with
     * {@code openssl ca -startdate -enddate}, which needs a small CA directory.
     */
    public static Chain issue(Path dir, String start, String end) throws Exception {
        Path ca = dir.resolve("ca-cert.pem");
        Path caKey = dir.resolve("ca-key.pem");
        run(dir, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=Test CA",
                "-days", "2", "-keyout", caKey.toString(), "-out", ca.toString());
        Path leafKey = dir.resolve("leaf-key.pem");
        Path csr = dir.resolve("leaf.csr");
        run(dir, "openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost",
                "-keyout", leafKey.toString(), "-out", csr.toString());
        Files.writeString(dir.resolve("index.txt"), "");
        Files.writeString(dir.resolve("serial"), "01\n");
        Path config = dir.resolve("ca.cnf");
        Files.writeString(config, String.join("\n",
                "[ ca ]",
                "default_ca = test_ca",
                "[ test_ca ]",
                "database = " + dir.resolve("index.txt"),
                "serial = " + dir.resolve("serial"),
                "new_certs_dir = " + dir,
                "certificate = " + ca,
                "private_key = " + caKey,
                "default_md = sha256",
                "policy = any_name",
                "unique_subject = no",
                "copy_extensions = none",
                "[ any_name ]",
                "commonName = supplied",
                "[ leaf ]",
                "basicConstraints = CA:FALSE",
                "subjectAltName = DNS:localhost,IP:127.0.0.1",
                ""));
        Path leaf = dir.resolve("leaf-cert.pem");
        run(dir, "openssl", "ca", "-batch", "-config", config.toString(), "-extensions", "leaf",
                "-startdate", start, "-enddate", end, "-notext",
                "-in", csr.toString(), "-out", leaf.toString());
        return new Chain(ca, leaf, leafKey);
    }


    private static void run(Path dir, String... command) throws Exception {
        File log = dir.resolve("openssl-" + System.nanoTime() + ".log").toFile();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("timed out: " + List.of(command));
        }
        if (process.exitValue() != 0) {
            throw new AssertionError(List.of(command) + " failed: " + Files.readString(log.toPath()));
        }
    }
}
