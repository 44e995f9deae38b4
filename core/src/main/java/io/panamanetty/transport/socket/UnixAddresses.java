package io.panamanetty.transport.socket;

import io.panamanetty.bindings.UnixSockAddr;
import io.panamanetty.bindings.UnixSockets;
import io.panamanetty.bindings.NativeIoException;
import io.panamanetty.channel.DomainSocketAddress;

import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.Arrays;

/**
 * {@link DomainSocketAddress}es to and from the sun paths of the bindings
 * ({@link UnixSockAddr}: a path's bytes, a NUL and an abstract name, or nothing).
 */
public final class UnixAddresses {
    private UnixAddresses() {
    }

    /**
     * The Unix domain socket address {@code address} stands for (ours, or the JDK's turned
     * into ours), or null if it is of another kind (or null).
     */
    public static DomainSocketAddress of(SocketAddress address) {
        if (address instanceof DomainSocketAddress domain) {
            return domain;
        }
        if (address instanceof UnixDomainSocketAddress jdk) {
            return DomainSocketAddress.of(jdk);
        }
        return null;
    }

    /** True if {@code address} is a Unix domain socket address (ours or the JDK's). */
    public static boolean isUnix(SocketAddress address) {
        return address instanceof DomainSocketAddress || address instanceof UnixDomainSocketAddress;
    }

    /** {@code address} as the bindings take it. */
    public static byte[] sunPath(DomainSocketAddress address) {
        byte[] bytes = address.bytes();
        if (!address.isAbstract()) {
            return bytes;   // a path's bytes, or none for unnamed
        }
        byte[] sunPath = new byte[bytes.length + 1];   // the leading NUL
        System.arraycopy(bytes, 0, sunPath, 1, bytes.length);
        return sunPath;
    }

    /** The address the bindings reported. */
    public static DomainSocketAddress fromSunPath(byte[] sunPath) {
        if (UnixSockAddr.isUnnamed(sunPath)) {
            return DomainSocketAddress.unnamed();
        }
        if (UnixSockAddr.isAbstract(sunPath)) {
            return DomainSocketAddress.ofAbstract(Arrays.copyOfRange(sunPath, 1, sunPath.length));
        }
        return DomainSocketAddress.ofPathBytes(sunPath);
    }

    /**
     * The address {@code fd} is bound to.
     *
     * @throws NativeIoException if {@code getsockname} fails
     */
    public static DomainSocketAddress local(int fd) throws NativeIoException {
        return fromSunPath(UnixSockets.localAddress(fd));
    }

    /**
     * The address of {@code fd}'s peer.
     *
     * @throws NativeIoException if {@code getpeername} fails
     */
    public static DomainSocketAddress remote(int fd) throws NativeIoException {
        return fromSunPath(UnixSockets.remoteAddress(fd));
    }
}
