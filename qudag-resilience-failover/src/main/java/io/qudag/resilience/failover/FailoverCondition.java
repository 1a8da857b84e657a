package io.qudag.resilience.failover;

/**
 * The condition that caused a {@link FailoverDecision}: the {@code conditions} of spec §1.2, each in
 * its {@link FailoverTrigger} family, plus manual and rollback causes.
 */
public enum FailoverCondition {
    SERVER_UNREACHABLE(FailoverTrigger.IMMEDIATE),
    AUTHENTICATION_FAILURE(FailoverTrigger.IMMEDIATE),
    CRITICAL_SERVICE_UNAVAILABLE(FailoverTrigger.IMMEDIATE),
    /** p95 response time more than 50% above the endpoint's own baseline. */
    PERFORMANCE_DEGRADATION(FailoverTrigger.GRADUAL),
    /** Error rate above 10%. */
    ERROR_RATE(FailoverTrigger.GRADUAL),
    /** CPU, memory or disk I/O wait above its secondary-indicator threshold. */
    RESOURCE_EXHAUSTION(FailoverTrigger.GRADUAL),
    /** A {@code HealthTrendSignal} predicts failure. */
    TREND_PREDICTS_FAILURE(FailoverTrigger.PREDICTIVE),
    MAINTENANCE_WINDOW_APPROACHING(FailoverTrigger.PREDICTIVE),
    CAPACITY_THRESHOLD_EXCEEDED(FailoverTrigger.PREDICTIVE),
    OPERATOR_DRAIN(FailoverTrigger.MANUAL),
    OPERATOR_UNDRAIN(FailoverTrigger.MANUAL),
    OPERATOR_FORCE_FAILOVER(FailoverTrigger.MANUAL),
    MANUAL_ROLLBACK(FailoverTrigger.ROLLBACK),
    /** The new target did worse than the old one within the monitoring window. */
    AUTOMATIC_ROLLBACK(FailoverTrigger.ROLLBACK),
    /** A returning endpoint failed again during its ramp. */
    RECOVERY_RELAPSE(FailoverTrigger.ROLLBACK);

    private final FailoverTrigger trigger;

    FailoverCondition(FailoverTrigger trigger) {
        this.trigger = trigger;
    }

    public FailoverTrigger trigger() {
        return trigger;
    }
}
