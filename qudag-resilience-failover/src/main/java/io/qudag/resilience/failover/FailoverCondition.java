package io.qudag.resilience.failover;

/**
 * The condition that caused a {@link FailoverDecision}: the {@code conditions} of spec §1.2, each in
 * its {@link FailoverTrigger} family, plus manual and rollback causes.
 */
public enum FailoverCondition {
    /** The endpoint cannot be reached: transport errors in a row, or a probe found it down. */
    SERVER_UNREACHABLE(FailoverTrigger.IMMEDIATE),
    /** The endpoint refuses this client's credentials. */
    AUTHENTICATION_FAILURE(FailoverTrigger.IMMEDIATE),
    /** A dependency the endpoint cannot serve without is down. */
    CRITICAL_SERVICE_UNAVAILABLE(FailoverTrigger.IMMEDIATE),
    /** p95 response time more than 50% above the endpoint's own baseline. */
    PERFORMANCE_DEGRADATION(FailoverTrigger.GRADUAL),
    /** Error rate above 10%. */
    ERROR_RATE(FailoverTrigger.GRADUAL),
    /** CPU, memory or disk I/O wait above its secondary-indicator threshold. */
    RESOURCE_EXHAUSTION(FailoverTrigger.GRADUAL),
    /** A {@code HealthTrendSignal} predicts failure. */
    TREND_PREDICTS_FAILURE(FailoverTrigger.PREDICTIVE),
    /** A maintenance window of the endpoint starts within the maintenance lead. */
    MAINTENANCE_WINDOW_APPROACHING(FailoverTrigger.PREDICTIVE),
    /** Calls per second above the configured share of the endpoint's rated capacity. */
    CAPACITY_THRESHOLD_EXCEEDED(FailoverTrigger.PREDICTIVE),
    /** An operator took the endpoint out of rotation. */
    OPERATOR_DRAIN(FailoverTrigger.MANUAL),
    /** An operator put a drained endpoint back. */
    OPERATOR_UNDRAIN(FailoverTrigger.MANUAL),
    /** An operator moved all traffic away from the endpoint. */
    OPERATOR_FORCE_FAILOVER(FailoverTrigger.MANUAL),
    /** An operator undid the most recent decision. */
    MANUAL_ROLLBACK(FailoverTrigger.ROLLBACK),
    /** The new target did worse than the old one within the monitoring window. */
    AUTOMATIC_ROLLBACK(FailoverTrigger.ROLLBACK),
    /** A returning endpoint failed again during its ramp. */
    RECOVERY_RELAPSE(FailoverTrigger.ROLLBACK);

    private final FailoverTrigger trigger;

    FailoverCondition(FailoverTrigger trigger) {
        this.trigger = trigger;
    }

    /** {@return the trigger family this condition belongs to} */
    public FailoverTrigger trigger() {
        return trigger;
    }
}
