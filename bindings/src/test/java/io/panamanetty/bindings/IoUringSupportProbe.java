package io.panamanetty.bindings;

import java.util.ArrayList;
import java.util.List;

/**
 * Prints what {@link IoUringSupport#detect()} finds: the program {@link IoUringRefusedTest}
 * runs. With {@code --without-descriptors} it first takes every descriptor the soft
 * {@code RLIMIT_NOFILE} allows (eventfds), prints what detection says then and whether that
 * is transient, gives them back and prints what it says after.
 */
final class IoUringSupportProbe {
    private static final int MAX_FILLERS = 100_000;

    private IoUringSupportProbe() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.out.println(IoUringSupport.detect());
            return;
        }
        ResourceLimits.Limit limit = ResourceLimits.get(ResourceLimits.RLIMIT_NOFILE);
        // Load now what runs while no descriptor is left (a class file needs one to be read).
        IoUringSupport.detect().toString();
        String loaded = Errno.exception(Errno.EMFILE, "io_uring_setup", "x").getMessage() + FileIo.close(-1)
                + " | transient " + true;
        if (loaded.isEmpty()) {
            throw new AssertionError();
        }
        List<Integer> fillers = new ArrayList<>(MAX_FILLERS);
        String exhaustedLine;
        try {
            // A low soft limit keeps the filling short; the holes below it are filled too.
            ResourceLimits.set(ResourceLimits.RLIMIT_NOFILE, new ResourceLimits.Limit(256, limit.hard()));
            for (int fd; fillers.size() < MAX_FILLERS && (fd = EventFd.create(0, EventFd.EFD_CLOEXEC)) >= 0; ) {
                fillers.add(fd);
            }
            IoUringSupport exhausted = IoUringSupport.detect();
            exhaustedLine = exhausted + " | transient " + exhausted.refusalIsTransient();
        } finally {
            for (int fd : fillers) {
                FileIo.close(fd);
            }
            ResourceLimits.set(ResourceLimits.RLIMIT_NOFILE, limit);
        }
        System.out.println(exhaustedLine);
        IoUringSupport after = IoUringSupport.detect();
        System.out.println("after: available " + after.available() + " | transient " + after.refusalIsTransient());
    }
}
