package io.qudag.resilience.core.health;

/**
 * The automated actions of spec §2.1 ({@code automated_actions}), each due while the composite score
 * is below its threshold. A {@link HealthMonitor} reports each crossing once, as a
 * {@link io.qudag.resilience.core.event.HealthActionEvent}; the thresholds can be overridden in
 * {@link HealthMonitor.Builder#actionThreshold(HealthAction, double)}.
 */
public enum HealthAction {
    /** Score below 75: increase monitoring frequency. */
    INCREASE_MONITORING(75),
    /** Score below 60: initiate performance optimisation. */
    PERFORMANCE_OPTIMIZATION(60),
    /** Score below 40: activate failover procedures. */
    ACTIVATE_FAILOVER(40),
    /** Score below 20: emergency response protocol. */
    EMERGENCY_RESPONSE(20);

    private final double defaultThreshold;

    HealthAction(double defaultThreshold) {
        this.defaultThreshold = defaultThreshold;
    }

    /** {@return the spec's threshold: the action is due while the score is strictly below it} */
    public double defaultThreshold() {
        return defaultThreshold;
    }
}
