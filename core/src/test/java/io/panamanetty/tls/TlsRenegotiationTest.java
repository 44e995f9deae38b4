package io.panamanetty.tls;

import io.panamanetty.channel.EventLoopGroup;
import io.panamanetty.testing.LeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static io.panamanetty.tls.TlsTestSupport.TIMEOUT_SECONDS;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(LeakCheck.class)
class TlsRenegotiationTest {
    @TempDir
    Path dir;

    @Test
    void clientInitiatedRenegotiationIsRefused() throws Exception {
        TlsTestSupport.Certificate cert = TlsTestSupport.selfSigned(dir, "r");
        TlsContext server = TlsContexts.server(cert.cert(), cert.key()).build();
        try (EventLoopGroup group = new EventLoopGroup(2, "tls-reneg")) {
            TlsTestSupport.EchoServer echo = TlsTestSupport.echoServer(group, server, 1);
            Path out = dir.resolve("s_client.out");
            // without -quiet, s_client renegotiates when a line starts with "R"
            Process client = TlsTestSupport.start(out, "openssl", "s_client", "-connect", "127.0.0.1:" + echo.port(),
                    "-tls1_2", "-CAfile", cert.cert().toString(), "-servername", "localhost");
            try {
                client.getOutputStream().write("ping-before\n".getBytes(StandardCharsets.US_ASCII));
                client.getOutputStream().flush();
                TlsTestSupport.awaitFileContains(out, "ping-before", client);
                client.getOutputStream().write("R\n".getBytes(StandardCharsets.US_ASCII));
                client.getOutputStream().flush();
                Throwable cause = echo.errors().poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                assertNotNull(cause, "renegotiation was not refused");
                assertTrue(String.valueOf(cause.getMessage()).contains("renegotiation"), cause::toString);
                assertTrue(client.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS), "s_client still connected");
            } finally {
                TlsTestSupport.stop(client);
            }
            echo.channel().close().sync();
        }
    }
}
