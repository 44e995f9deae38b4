package io.panamanetty.internal;

import io.panamanetty.file.FileRegion;

/**
 * What a transport needs of a {@link FileRegion} and users must not touch: the descriptor
 * it sends from, and recording progress. Not exported from the module. Installed by
 * {@link FileRegion}'s class initializer.
 */
public final class FileRegionInternals {
    private static volatile Access access;

    /** The accessor {@link FileRegion} installs. */
    public interface Access {
        /** The descriptor opened for the region (read at explicit offsets); -1 for a region read through a {@code FileChannel}. */
        int fd(FileRegion region);

        /** Records that {@code bytes} more of the region have left. */
        void advance(FileRegion region, long bytes);
    }

    private FileRegionInternals() {
    }

    /**
     * Called once, by {@link FileRegion}.
     *
     * @throws IllegalStateException on a second call
     */
    public static synchronized void install(Access regions) {
        if (access != null) {
            throw new IllegalStateException("FileRegionInternals is installed already");
        }
        access = regions;
    }

    /** The installed accessor; loading {@link FileRegion} installs it. */
    public static Access access() {
        Access current = access;
        if (current == null) {
            try {
                Class.forName(FileRegion.class.getName(), true, FileRegion.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new AssertionError(e);
            }
            current = access;
        }
        return current;
    }
}
