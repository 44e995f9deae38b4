package io.panamanetty.examples;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Parsing of {@code HOST:PORT} option values. */
class HostPortTest {

    @Test
    void parsesNamesAddressesAndBracketedIpv6() {
        assertEquals(new HostPort("example.org", 443), HostPort.parse("--to", "example.org:443"));
        assertEquals(new HostPort("0.0.0.0", 8443), HostPort.parse("--listen", "0.0.0.0:8443"));
        assertEquals(new HostPort("::1", 8080), HostPort.parse("--to", "[::1]:8080"));
        assertEquals("[::1]:8080", new HostPort("::1", 8080).toString());
        assertEquals("127.0.0.1:0", new HostPort("127.0.0.1", 0).toString());
    }

    @Test
    void rejectsWhatIsNotHostColonPort() {
        for (String bad : new String[] {"localhost", ":80", "host:", "host:http", "host:65536", "::1:80", "[]:80"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HostPort.parse("--to", bad),
                    bad);
            assertTrue(e.getMessage().startsWith("--to"), e.getMessage());
        }
    }
}
