package io.panamanetty.transport.epoll;

import io.panamanetty.bindings.Epoll;
import io.panamanetty.bindings.Errno;
import io.panamanetty.bindings.EventFd;
import io.panamanetty.bindings.FileIo;
import io.panamanetty.bindings.IoVec;
import io.panamanetty.bindings.Memory;
import io.panamanetty.bindings.NativeIoException;
import io.panamanetty.channel.IoHandle;
import io.panamanetty.channel.IoHandler;
import io.panamanetty.channel.IoRegistration;
import io.panamanetty.channel.internal.SafeLog;
import io.panamanetty.channel.internal.Transports;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The epoll {@link IoHandler}: one level-triggered epoll instance, an eventfd to wake
 * it, and the table of registered channels. {@link EpollIoHandlerFactory} makes it for
 * each loop of an epoll group; the loops of {@code new EventLoopGroup(n, name)} run it
 * unless another transport is asked for.
 *
 * <p>Each registration gets a slot; the epoll {@code data} of a channel carries its
 * slot and the slot's generation, so an event still queued for a channel that was
 * closed in this same batch (its fd number perhaps already reused) is recognised
 * as stale and dropped. Confined to the loop's thread except {@link #wakeup()}.
 */
public final class EpollIoHandler implements IoHandler {
    static {
        Transports.registerTcp(EpollIoHandler.class, new EpollTcpTransport());
        Transports.registerDatagram(EpollIoHandler.class, new EpollDatagramTransport());
        Transports.registerDomainDatagram(EpollIoHandler.class, new EpollDomainDatagramTransport());
    }

    private static final int MAX_EVENTS = 512;
    private static final long WAKEUP_DATA = -1L;

    private final int epollFd;
    private final int wakeupFd;
    private final long eventsAddress;
    private final MemorySegment events;
    private final long iovecsAddress;
    /** Scratch iovec array ({@link FileIo#IOV_MAX} entries) for this loop's gathering writes. */
    final MemorySegment iovecs;

    /** Fills {@link #iovecs} from an outbound queue, for this loop's gathering writes. */
    final IovecFiller iovecFiller;

    /** What this loop's datagram channels share (address caches, system call arrays). */
    final DatagramLoopCaches datagrams = new DatagramLoopCaches();

    private AbstractEpollChannel[] slots = new AbstractEpollChannel[64];
    private int[] generations = new int[64];
    private int[] freeSlots = new int[64];
    private int freeCount;
    private int nextUnused;
    private int registered;
    private boolean closed;   // guarded by this

    EpollIoHandler() throws NativeIoException {
        epollFd = Errno.check(Epoll.create(Epoll.EPOLL_CLOEXEC), "epoll_create1");
        int eventFd = EventFd.create(0, EventFd.EFD_NONBLOCK | EventFd.EFD_CLOEXEC);
        if (eventFd < 0) {
            FileIo.close(epollFd);
            throw Errno.exception(-eventFd, "eventfd", null);
        }
        wakeupFd = eventFd;
        int added = Epoll.ctl(epollFd, Epoll.EPOLL_CTL_ADD, wakeupFd, Epoll.EPOLLIN, WAKEUP_DATA);
        if (added < 0) {
            FileIo.close(wakeupFd);
            FileIo.close(epollFd);
            throw Errno.exception(-added, "epoll_ctl", "ADD eventfd");
        }
        long bytes = MAX_EVENTS * Epoll.EVENT_SIZE;
        eventsAddress = Memory.malloc(bytes);
        events = Memory.segment(eventsAddress, bytes);
        long iovecBytes = FileIo.IOV_MAX * IoVec.SIZE;
        iovecsAddress = Memory.malloc(iovecBytes);
        iovecs = Memory.segment(iovecsAddress, iovecBytes);
        iovecFiller = new IovecFiller(iovecs);
    }

    /**
     * Registers an epoll channel of this transport, waiting for nothing yet.
     *
     * @throws IllegalArgumentException for a handle of another transport
     */
    @Override
    public IoRegistration register(IoHandle handle) throws IOException {
        if (!(handle instanceof AbstractEpollChannel channel)) {
            throw new IllegalArgumentException(handle + " is not a channel of the epoll transport");
        }
        return register(channel, 0);
    }

    /** Adds {@code channel} (its fd) with the given interest (one {@code epoll_ctl}). */
    EpollRegistration register(AbstractEpollChannel channel, int interest) throws NativeIoException {
        int slot = freeCount > 0 ? freeSlots[--freeCount] : nextUnused++;
        if (slot == slots.length) {
            slots = Arrays.copyOf(slots, slot * 2);
            generations = Arrays.copyOf(generations, slot * 2);
            freeSlots = Arrays.copyOf(freeSlots, slot * 2);
        }
        long token = ((long) generations[slot] << 32) | slot;
        int result = Epoll.ctl(epollFd, Epoll.EPOLL_CTL_ADD, channel.fd(), interest, token);
        if (result < 0) {
            freeSlots[freeCount++] = slot;
            throw Errno.exception(-result, "epoll_ctl", "ADD fd " + channel.fd());
        }
        slots[slot] = channel;
        registered++;
        return new EpollRegistration(this, channel, token, interest);
    }

    /** Changes the interest of a registered channel. */
    void modify(AbstractEpollChannel channel, long token, int interest) throws NativeIoException {
        int result = Epoll.ctl(epollFd, Epoll.EPOLL_CTL_MOD, channel.fd(), interest, token);
        if (result < 0) {
            throw Errno.exception(-result, "epoll_ctl", "MOD fd " + channel.fd());
        }
    }

    /**
     * Takes a registered channel's fd out of epoll but keeps its slot and token: the
     * channel still counts as registered (shutdown closes it), and no event, not even a
     * hang-up, is reported until {@link #unpark}.
     */
    void park(AbstractEpollChannel channel) throws NativeIoException {
        int result = Epoll.ctl(epollFd, Epoll.EPOLL_CTL_DEL, channel.fd(), 0, 0);
        if (result < 0) {
            throw Errno.exception(-result, "epoll_ctl", "DEL fd " + channel.fd());
        }
    }

    /** Puts a {@linkplain #park parked} channel's fd back into epoll, with its old token. */
    void unpark(AbstractEpollChannel channel, long token, int interest) throws NativeIoException {
        int result = Epoll.ctl(epollFd, Epoll.EPOLL_CTL_ADD, channel.fd(), interest, token);
        if (result < 0) {
            throw Errno.exception(-result, "epoll_ctl", "ADD fd " + channel.fd());
        }
    }

    /**
     * Forgets a channel. Its fd must still be open (it is removed from epoll here); any
     * event still queued for it is ignored from now on.
     */
    void deregister(AbstractEpollChannel channel, long token) {
        int slot = (int) token;
        if (slots[slot] != channel) {
            return;
        }
        Epoll.ctl(epollFd, Epoll.EPOLL_CTL_DEL, channel.fd(), 0, 0);   // fails only if already gone (or parked)
        slots[slot] = null;
        generations[slot]++;
        freeSlots[freeCount++] = slot;
        registered--;
    }

    @Override
    public void closeAll() {
        List<AbstractEpollChannel> list = new ArrayList<>(registered);
        for (AbstractEpollChannel channel : slots) {
            if (channel != null) {
                list.add(channel);
            }
        }
        for (AbstractEpollChannel channel : list) {
            try {
                channel.closeNow();
            } catch (Throwable t) {
                SafeLog.warning(EpollIoHandler.class, () -> "closing " + channel + " at shutdown failed", t);
            }
        }
    }

    /**
     * Waits up to {@code timeoutNanos} (negative: no limit, 0: don't block; to the
     * nanosecond with epoll_pwait2, rounded up to milliseconds on kernels before 5.11) and
     * dispatches the ready events to their channels.
     */
    @Override
    public boolean poll(long timeoutNanos) throws IOException {
        int ready = Epoll.waitNanos(epollFd, eventsAddress, MAX_EVENTS, timeoutNanos);
        if (ready < 0) {
            if (ready == -Errno.EINTR) {
                return false;
            }
            throw Errno.exception(-ready, Epoll.hasPreciseWait() ? "epoll_pwait2" : "epoll_wait", null);
        }
        boolean woken = false;
        for (int i = 0; i < ready; i++) {
            long data = Epoll.data(events, i);
            if (data == WAKEUP_DATA) {
                EventFd.take(wakeupFd);
                woken = true;
                continue;
            }
            int slot = (int) data;
            AbstractEpollChannel channel = slot < slots.length ? slots[slot] : null;
            if (channel != null && generations[slot] == (int) (data >>> 32)) {
                dispatch(channel, Epoll.events(events, i));
            }
        }
        return ready > (woken ? 1 : 0);   // a wake-up alone is no I/O
    }

    /** Lets {@code channel} handle its events; a failure there is the channel's, never the loop's. */
    private static void dispatch(AbstractEpollChannel channel, int readyEvents) {
        try {
            channel.handleEvents(readyEvents);
        } catch (Throwable t) {
            SafeLog.warning(EpollIoHandler.class, () -> "handling events of " + channel + " failed", t);
            try {
                channel.ioFailed(t);
            } catch (Throwable ignored) {
                // nothing more can be done for this channel; the loop goes on
            }
        }
    }

    /** Wakes a thread blocked in {@link #poll}; safe from any thread. */
    @Override
    public synchronized void wakeup() {
        if (!closed) {   // after close the fd number may belong to someone else
            EventFd.add(wakeupFd, 1);
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        FileIo.close(wakeupFd);
        FileIo.close(epollFd);
        Memory.free(eventsAddress);
        Memory.free(iovecsAddress);
        datagrams.close();
    }
}
