package io.panamanetty.transport.epoll;

import io.panamanetty.bootstrap.ServerBootstrap;
import io.panamanetty.channel.Channel;
import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.testing.LeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.panamanetty.transport.epoll.UnixPeers.TIMEOUT_SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Permission errors on socket paths: {@link UnixPermissionProbe} runs in a JVM of its own,
 * binding in a directory of mode 0555 and connecting to a socket file of mode 0000. Root
 * passes every permission check, so as root (as the tests run here and in CI) the probe is
 * dropped to {@code nobody} with {@code setpriv}; another user runs it as itself.
 */
@ExtendWith(LeakCheck.class)
class EpollUnixPermissionTest {

    @Test
    void bindAndConnectWithoutPermissionNameThePath(@TempDir Path dir) throws Exception {
        boolean root = "0".equals(new String(new ProcessBuilder("id", "-u").start().getInputStream().readAllBytes(),
                StandardCharsets.US_ASCII).strip());
        if (root) {
            UnixPeers.requireProgram("setpriv");
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path readOnly = Files.createDirectory(dir.resolve("read-only"));
        Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-xr-xr-x"));
        Path bindPath = readOnly.resolve("x.sock");
        Path rootsSocket = dir.resolve("root.sock");
        try (EventLoopGroup group = new EventLoopGroup(1, "unix-permission")) {
            Channel server = new ServerBootstrap().group(group, group).bind(rootsSocket).sync().channel();
            Files.setPosixFilePermissions(rootsSocket, PosixFilePermissions.fromString("---------"));

            String classPath = String.join(File.pathSeparator, System.getProperty("java.class.path", ""),
                    System.getProperty("jdk.module.path", ""));
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<String> command = new ArrayList<>(root
                    ? List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups") : List.of());
            command.addAll(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp", classPath,
                    UnixPermissionProbe.class.getName(), bindPath.toString(), rootsSocket.toString()));
            Process probe = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(probe.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS), output);
            assertEquals(0, probe.exitValue(), output);
            assertEquals(List.of(
                    "NativeIoException: bind " + bindPath + " failed: EACCES (Permission denied)",
                    "ConnectException: connect " + rootsSocket + " failed: EACCES (Permission denied)"),
                    output.lines().toList());
            assertTrue(Files.exists(rootsSocket), "the server's file is still there");
            server.close().sync();
        }
    }
}
