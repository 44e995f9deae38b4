package io.panamanetty.channel;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link DomainSocketAddress}: the three kinds, text, limits, the JDK's address, serialization. */
class DomainSocketAddressTest {

    @Test
    void aPathAnAbstractNameAndUnnamed() {
        DomainSocketAddress file = DomainSocketAddress.of("/run/app.sock");
        assertTrue(file.isPath());
        assertEquals(Path.of("/run/app.sock"), file.path());
        assertEquals("/run/app.sock", file.toString());
        assertArrayEquals("/run/app.sock".getBytes(StandardCharsets.US_ASCII), file.bytes());

        DomainSocketAddress name = DomainSocketAddress.of("@app");
        assertTrue(name.isAbstract());
        assertFalse(name.isPath());
        assertEquals("@app", name.toString());
        assertEquals(DomainSocketAddress.ofAbstract("app"), name);
        assertThrows(IllegalStateException.class, name::path);

        DomainSocketAddress unnamed = DomainSocketAddress.unnamed();
        assertTrue(unnamed.isUnnamed());
        assertEquals("(unnamed)", unnamed.toString());
        assertArrayEquals(new byte[0], unnamed.bytes());

        assertNotEquals(DomainSocketAddress.of("app"), name, "a relative path is not the abstract name");
        assertEquals(DomainSocketAddress.of(Path.of("/run/app.sock")).hashCode(), file.hashCode());
        assertEquals("@a\\x00b\\x0a", DomainSocketAddress.ofAbstract(new byte[] {'a', 0, 'b', '\n'}).toString());
    }

    @Test
    void theLimitsAreThoseOfSunPath() {
        assertEquals(107, DomainSocketAddress.of("/" + "x".repeat(106)).bytes().length);
        IllegalArgumentException path = assertThrows(IllegalArgumentException.class,
                () -> DomainSocketAddress.of("/" + "x".repeat(107)));
        assertTrue(path.getMessage().endsWith("is 108 bytes long, more than the 107 a Unix socket address holds"),
                path.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DomainSocketAddress.ofAbstract("x".repeat(108)));
        assertThrows(IllegalArgumentException.class, () -> DomainSocketAddress.of(""));
        assertThrows(IllegalArgumentException.class, () -> DomainSocketAddress.of("@"));
        assertThrows(IllegalArgumentException.class, () -> DomainSocketAddress.of("a\0b"));
        assertEquals(0, DomainSocketAddress.ofAbstract(new byte[0]).bytes().length, "the kernel's empty name");
    }

    @Test
    void theJdksAddressHoldsPathsOnly() {
        UnixDomainSocketAddress jdk = UnixDomainSocketAddress.of("/tmp/x.sock");
        assertEquals(DomainSocketAddress.of("/tmp/x.sock"), DomainSocketAddress.of(jdk));
        assertEquals(jdk, DomainSocketAddress.of(jdk).toUnixDomainSocketAddress());
        assertSame(DomainSocketAddress.unnamed(), DomainSocketAddress.of(UnixDomainSocketAddress.of("")));
        assertEquals(UnixDomainSocketAddress.of(""), DomainSocketAddress.unnamed().toUnixDomainSocketAddress());
        assertThrows(UnsupportedOperationException.class,
                () -> DomainSocketAddress.of("@x").toUnixDomainSocketAddress());
    }

    @Test
    void serializationKeepsTheKind() throws Exception {
        for (DomainSocketAddress address : new DomainSocketAddress[] {DomainSocketAddress.of("/tmp/s.sock"),
                DomainSocketAddress.of("@s"), DomainSocketAddress.unnamed()}) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(address);
            }
            try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
                DomainSocketAddress back = (DomainSocketAddress) in.readObject();
                assertEquals(address, back);
                assertEquals(address.isPath(), back.isPath());
                if (address.isPath()) {
                    assertEquals(address.path(), back.path());
                }
            }
        }
    }
}
