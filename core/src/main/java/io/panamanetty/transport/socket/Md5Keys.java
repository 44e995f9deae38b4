package io.panamanetty.transport.socket;

import io.panamanetty.bindings.NativeIoException;
import io.panamanetty.bindings.SockOpt;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code TCP_MD5SIG} keys one socket was given through
 * {@link LinuxSocketOption#TCP_MD5SIG}: the kernel takes one key per peer address and
 * reports none, so the channel remembers them, to remove those a new map drops and to
 * answer a read. Event-loop confined.
 */
public final class Md5Keys {
    private Map<InetAddress, byte[]> keys = Map.of();

    /** No keys yet: a new socket has none. */
    public Md5Keys() {
    }

    /** Replaces the socket's keys with {@code wanted}: dropped peers lose theirs, the others get the new key. */
    public void set(int fd, Map<?, ?> wanted) throws NativeIoException {
        Map<InetAddress, byte[]> next = copy(wanted);
        for (InetAddress peer : keys.keySet()) {
            if (!next.containsKey(peer)) {
                SockOpt.setMd5Key(fd, new InetSocketAddress(peer, 0), new byte[0]);
            }
        }
        Map<InetAddress, byte[]> applied = new LinkedHashMap<>();
        try {
            for (Map.Entry<InetAddress, byte[]> key : next.entrySet()) {
                SockOpt.setMd5Key(fd, new InetSocketAddress(key.getKey(), 0), key.getValue());
                applied.put(key.getKey(), key.getValue());
            }
        } finally {
            keys = applied;
        }
    }

    /** The keys last set, as a new map of copies. */
    public Map<InetAddress, byte[]> get() {
        return Collections.unmodifiableMap(copy(keys));
    }

    private static Map<InetAddress, byte[]> copy(Map<?, ?> keys) {
        Map<InetAddress, byte[]> copy = new LinkedHashMap<>();
        for (Map.Entry<?, ?> key : keys.entrySet()) {
            if (!(key.getKey() instanceof InetAddress peer) || !(key.getValue() instanceof byte[] bytes)) {
                throw new IllegalArgumentException("TCP_MD5SIG takes a Map<InetAddress, byte[]>, not one holding "
                        + key.getKey() + " -> " + key.getValue());
            }
            if (bytes.length == 0 || bytes.length > SockOpt.TCP_MD5SIG_MAXKEYLEN) {
                throw new IllegalArgumentException("a TCP_MD5SIG key has 1 to " + SockOpt.TCP_MD5SIG_MAXKEYLEN
                        + " bytes, not " + bytes.length + " (for " + peer.getHostAddress() + ")");
            }
            copy.put(peer, bytes.clone());
        }
        return copy;
    }
}
