package io.panamanetty.channel;

/**
 * Who is at the other end of a connected Unix domain socket, as the kernel recorded it
 * when the connection was made ({@code SO_PEERCRED}): the peer's process id and its
 * effective user and group ids at that moment. From {@link StreamChannel#peerCredentials()}.
 *
 * @param pid the peer's process id
 * @param uid the peer's user id (an unsigned 32-bit value)
 * @param gid the peer's group id (an unsigned 32-bit value)
 */
public record PeerCredentials(long pid, long uid, long gid) {
}
