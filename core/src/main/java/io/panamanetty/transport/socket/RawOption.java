package io.panamanetty.transport.socket;

/**
 * A socket option the user names by its {@code setsockopt} level and number rather than by
 * a constant of ours (epoll's public {@code RawSocketOption} is one), with an {@code int}
 * value or raw bytes. {@link SocketOptionTable} sets and reads any such option.
 */
public interface RawOption {

    /** {@return the {@code level} argument of {@code setsockopt}, e.g. 6 for {@code SOL_TCP}} */
    int level();

    /** {@return the {@code optname} argument of {@code setsockopt}} */
    int optionName();

    /** {@return the most bytes a read of a bytes option returns} */
    int capacity();

    /** {@return true for an {@code int} option, false for bytes} */
    boolean isInt();
}
