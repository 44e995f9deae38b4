package io.panamanetty.bindings;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SocketErrorsTest {

    @Test
    void bindingAPortInUseNamesCallAddressAndErrno() throws Exception {
        InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        int first = Sockets.openTcp(any);
        int second = Sockets.openTcp(any);
        try {
            Sockets.bind(first, any);
            Errno.check(Sockets.listen(first, 16), "listen");
            InetSocketAddress taken = Sockets.localAddress(first);

            NativeIoException e = assertThrows(NativeIoException.class, () -> Sockets.bind(second, taken));

            assertEquals(Errno.EADDRINUSE, e.errno());
            assertEquals("bind", e.call());
            assertEquals("bind 127.0.0.1:" + taken.getPort()
                    + " failed: EADDRINUSE (Address already in use)", e.getMessage());
        } finally {
            assertEquals(0, FileIo.close(first));
            assertEquals(0, FileIo.close(second));
        }
    }

    @Test
    void closingAClosedDescriptorReportsEbadf() {
        int result = FileIo.close(-1);
        assertEquals(-Errno.EBADF, result);
        NativeIoException e = assertThrows(NativeIoException.class, () -> Errno.check(result, "close"));
        assertTrue(e.getMessage().startsWith("close failed: EBADF (Bad file descriptor)"), e.getMessage());
    }
}
