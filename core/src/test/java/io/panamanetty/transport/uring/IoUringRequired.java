package io.panamanetty.transport.uring;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The io_uring tests' precondition: io_uring works here, which a CI machine must provide. */
final class IoUringRequired {
    private IoUringRequired() {
    }

    /**
     * Stops the calling test class when this kernel or its policy refuses io_uring (saying why);
     * under {@code CI=true} that is a failure instead.
     */
    static void check() {
        String reason = IoUringIoHandlerFactory.unavailableReason();
        if (reason != null && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("CI=true, and io_uring is unavailable: " + reason);
        }
        assumeTrue(reason == null, () -> "io_uring unavailable: " + reason);
    }
}
