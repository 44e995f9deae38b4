package io.panamanetty.bindings;

import org.junit.jupiter.api.Assumptions;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The io_uring tests' precondition: a ring can be created here. Outside CI a machine
 * without io_uring skips them; under {@code CI=true} (whose machine has io_uring) that fails.
 */
final class IoUringAvailable {
    private IoUringAvailable() {
    }

    static IoUringSupport require() {
        IoUringSupport support = IoUringSupport.detect();
        if (!support.available()) {
            if ("true".equals(System.getenv("CI"))) {
                fail("io_uring must work on the CI machine: " + support.unavailableReason());
            }
            Assumptions.assumeTrue(false, "io_uring unavailable: " + support.unavailableReason());
        }
        return support;
    }
}
