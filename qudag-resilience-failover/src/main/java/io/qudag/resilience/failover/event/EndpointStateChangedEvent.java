package io.qudag.resilience.failover.event;

import io.qudag.resilience.failover.EndpointState;
import java.time.Instant;

/**
 * An endpoint changed state or traffic factor (ejection, probe success, ramp step, relapse …).
 *
 * @param trafficFactor its new traffic factor, 0..1
 * @param reason        why, e.g. "consecutive_failures=5" or "ramp step 3/10"
 */
public record EndpointStateChangedEvent(String group, String endpointId, EndpointState from, EndpointState to,
                                        double trafficFactor, String reason, Instant at) implements FailoverEvent {
}
