package io.qudag.resilience.failover;

import java.time.Instant;
import java.util.Objects;

/**
 * A point-in-time view of one endpoint inside its group, for dashboards, tests and decisions.
 *
 * @param endpoint            the endpoint
 * @param state               its life-cycle state
 * @param trafficFactor       the share of its weight it currently gets, 0..1 (ramp and shift steps)
 * @param share               its share of all the group's traffic right now, 0..1
 * @param ejectionCount       how often outlier detection has ejected it (decays while healthy)
 * @param unavailableUntil    when an UNAVAILABLE endpoint becomes eligible for recovery, or {@code null}
 * @param reason              why it is in this state (e.g. "consecutive_failures=5"), never null
 * @param since               when it entered this state
 * @param consecutiveFailures failures in a row right now
 */
public record EndpointStatus(Endpoint endpoint, EndpointState state, double trafficFactor, double share,
                             int ejectionCount, Instant unavailableUntil, String reason, Instant since,
                             int consecutiveFailures) {
    /**
     * Checks the status's components.
     *
     * @param endpoint the endpoint
     * @param state its life-cycle state
     * @param trafficFactor the share of its weight it currently gets, 0..1 (ramp and shift steps)
     * @param share its share of all the group's traffic right now, 0..1
     * @param ejectionCount how often outlier detection has ejected it (decays while healthy)
     * @param unavailableUntil when an UNAVAILABLE endpoint becomes eligible for recovery, or {@code null}
     * @param reason why it is in this state (e.g. "consecutive_failures=5"), never null
     * @param since when it entered this state
     * @param consecutiveFailures failures in a row right now
     */
    public EndpointStatus {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(since, "since");
    }

    /** {@return the endpoint's id} */
    public String id() {
        return endpoint.id();
    }
}
