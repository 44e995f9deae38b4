package io.panamanetty.testsuite;

import org.junit.jupiter.api.Assumptions;

/**
 * The base of every {@code *Scenario}: behaviour of a channel, not of one transport,
 * written against {@link #transport()} (its groups and bootstraps) and re-run by each
 * transport's subclass.
 */
public abstract class TransportScenario {

    /** The transport this run is about. */
    protected abstract TestTransport transport();

    /**
     * Stops the calling test, visibly, when the transport declares that it lacks
     * {@code feature} (see {@link TestTransport#unsupported()}): the report says which
     * transport and which feature. A feature a transport claims is never skipped.
     */
    protected final void requireFeature(TestTransport.Feature feature) {
        Assumptions.assumeFalse(transport().unsupported().contains(feature),
                () -> transport().name() + " declares that it does not support " + feature);
    }

    /**
     * Stops the calling test when this machine lacks {@code what}; under {@code CI=true} that
     * is a failure instead, since the CI machine is meant to provide it.
     */
    protected static void requireEnvironment(boolean present, String what) {
        if (!present && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("CI=true, and this machine lacks " + what);
        }
        Assumptions.assumeTrue(present, () -> "this machine lacks " + what);
    }
}
