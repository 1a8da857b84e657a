package io.qudag.resilience.failover.internal;

import io.qudag.resilience.failover.Endpoint;
import io.qudag.resilience.failover.EndpointState;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The mutable state of one endpoint inside a {@link DefaultEndpointGroup}. Counters are atomics
 * written on the call path; the state fields are volatile, written only under the group's lock.
 */
final class EndpointRuntime {

    final Endpoint endpoint;
    final int index;
    final int tierIndex;
    final EndpointMetrics metrics;

    // Written under the group lock, read anywhere.
    volatile EndpointState state = EndpointState.HEALTHY;
    volatile double factor = 1.0;
    volatile String reason = "initial";
    volatile long sinceMillis;
    volatile long unavailableUntilMillis;
    volatile int ejectionCount;

    // Guarded by the group lock.
    boolean outlierEjected;
    /** When a skipped ejection of this endpoint was last logged (guarded by the group's lock). */
    long lastSkipLogMillis = Long.MIN_VALUE / 2;
    int probeSuccesses;
    boolean probeInFlight;
    /** Identifies the health check in flight; a result of an older (timed-out) check is ignored. */
    long probeSeq;
    /** When the check in flight counts as failed if it has not answered. */
    long probeDeadlineMillis;
    /** The check in flight (cancelled when it times out), or {@code null}. */
    java.util.concurrent.CompletionStage<Boolean> probeStage;
    long nextProbeAtMillis;
    long rampStartMillis;
    double rampFloor;
    long rampStartCalls;
    long rampStartFailures;
    long nextShiftAtMillis;

    // Call path.
    final AtomicInteger consecutiveFailures = new AtomicInteger();
    final AtomicInteger consecutiveTransportErrors = new AtomicInteger();
    final LongAdder calls = new LongAdder();
    final LongAdder failures = new LongAdder();
    final LongAdder intervalCalls = new LongAdder();
    final LongAdder intervalSuccesses = new LongAdder();

    EndpointRuntime(Endpoint endpoint, int index, int tierIndex, EndpointMetrics metrics, long nowMillis) {
        this.endpoint = endpoint;
        this.index = index;
        this.tierIndex = tierIndex;
        this.metrics = metrics;
        this.sinceMillis = nowMillis;
    }

    String id() {
        return endpoint.id();
    }
}
