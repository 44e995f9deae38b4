package io.panamanetty.channel;

import java.net.SocketAddress;

/**
 * A Unix domain datagram socket ({@code AF_UNIX}, {@code SOCK_DGRAM}): it reads and writes
 * {@link DomainDatagramPacket}s, each one datagram, kept whole and in order by the kernel.
 * Made by {@code new Bootstrap().channel(DatagramChannel.class)}, then {@code bind(path)}
 * (a socket file, removed again when the channel closes, or an {@code @abstract} name) for a
 * server, or {@code connect(path)} for a client of one peer. A client that gives no local
 * address is bound to an abstract name the kernel picks (autobind), so that its peer can
 * answer it.
 *
 * <p>Connected, it receives only its peer's datagrams, and a plain message ({@code byte[]},
 * a {@link io.panamanetty.buffer.Buffer}, ...) or a packet without a recipient goes to the
 * peer. A send the kernel refuses for that datagram alone (nobody bound at the recipient:
 * {@code ECONNREFUSED}, {@code ENOENT}; too large: {@code EMSGSIZE}) fails its own promise;
 * the channel keeps working. Peer credentials are not offered: an unconnected datagram
 * socket has no single peer, and the kernel reports pid 0 and uid/gid -1 for it.
 */
public interface DomainDatagramChannel extends Channel {

    @Override
    DatagramChannelConfig config();

    /** The address the socket is bound to: a path, an abstract name (one the kernel picked, for a client). */
    @Override
    DomainSocketAddress localAddress();

    /** The peer of a connected channel, else null. */
    @Override
    DomainSocketAddress remoteAddress();

    /** True while connected to one peer. */
    boolean isConnected();

    /**
     * Connects the channel to {@code remote} ({@link DomainSocketAddress}, or the JDK's Unix
     * address): from then on only its datagrams arrive, and plain messages go to it.
     */
    ChannelFuture connect(SocketAddress remote);

    /** Undoes {@link #connect}: datagrams from anyone arrive again. */
    ChannelFuture disconnect();
}
