package io.panamanetty.transport.epoll;

import io.panamanetty.bindings.NativeIoException;
import io.panamanetty.channel.IoRegistration;

/**
 * One channel's place in an {@link EpollIoHandler}: its slot and generation (the epoll
 * data token), and whether its fd is out of epoll for a while ({@link #park()}).
 * Event-loop confined.
 */
final class EpollRegistration implements IoRegistration {
    private final EpollIoHandler handler;
    private final AbstractEpollChannel channel;
    private final long token;
    private int interest;
    private boolean parked;
    private boolean valid = true;

    /** The registration of {@code channel}, whose fd was added with {@code interest}. */
    EpollRegistration(EpollIoHandler handler, AbstractEpollChannel channel, long token, int interest) {
        this.handler = handler;
        this.channel = channel;
        this.token = token;
        this.interest = interest;
    }

    /** Sets the epoll interest (one {@code epoll_ctl MOD}, none if unchanged or parked). */
    @Override
    public void interest(int ops) throws NativeIoException {
        if (ops == interest || !valid) {
            return;
        }
        if (!parked) {
            handler.modify(channel, token, ops);
        }
        interest = ops;
    }

    /**
     * Takes the fd out of epoll but keeps the slot: no event, not even a hang-up, until
     * {@link #unpark()}; interest changes meanwhile are remembered.
     */
    void park() throws NativeIoException {
        if (valid && !parked) {
            handler.park(channel);
            parked = true;
        }
    }

    /** Puts a parked fd back with the interest last set; a no-op unless parked. */
    void unpark() throws NativeIoException {
        if (valid && parked) {
            parked = false;
            handler.unpark(channel, token, interest);
        }
    }

    boolean isParked() {
        return parked;
    }

    /** Removes the fd from epoll at once (epoll has nothing in flight): {@code whenQuiet} runs before this returns. */
    @Override
    public void cancel(Runnable whenQuiet) {
        if (valid) {
            valid = false;
            handler.deregister(channel, token);
        }
        whenQuiet.run();
    }

    @Override
    public boolean isValid() {
        return valid;
    }
}
