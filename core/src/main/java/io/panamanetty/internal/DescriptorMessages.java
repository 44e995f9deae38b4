package io.panamanetty.internal;

import io.panamanetty.buffer.ReferenceCounted;
import io.panamanetty.file.FileDescriptorHandle;

/**
 * Lets the channel layer apply the ownership rule to a received descriptor without naming
 * the type, which opens and closes descriptors through the bindings. Not exported.
 */
public final class DescriptorMessages {
    private DescriptorMessages() {
    }

    /** {@code message} if it is a descriptor handle, which the ownership rule follows; else null. */
    public static ReferenceCounted descriptorOf(Object message) {
        return message instanceof FileDescriptorHandle handle ? handle : null;
    }
}
