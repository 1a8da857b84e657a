package io.qudag.resilience.health.distributed;

/**
 * What a node or the cluster concludes about a subject (spec §2.2 {@code consensus_actions}), with the
 * action and monitoring frequency the spec attaches to it.
 */
public enum HealthVerdict {
    /** Maintain current operations; normal monitoring. Needs a majority. */
    HEALTHY("maintain_current_operations", "normal"),
    /** Initiate performance optimisation; increased monitoring. Needs a majority. */
    DEGRADED("initiate_performance_optimization", "increased"),
    /** Initiate failover procedures; maximum monitoring. Needs a supermajority. */
    UNHEALTHY("initiate_failover_procedures", "maximum");

    private final String action;
    private final String monitoringFrequency;

    HealthVerdict(String action, String monitoringFrequency) {
        this.action = action;
        this.monitoringFrequency = monitoringFrequency;
    }

    /** {@return what the spec says to do on this verdict} */
    public String action() {
        return action;
    }

    /** {@return how often the spec says to monitor a subject with this verdict} */
    public String monitoringFrequency() {
        return monitoringFrequency;
    }

    /**
     * {@return the verdict for a score: HEALTHY from 75 (GOOD and better), DEGRADED from 40 (FAIR, POOR), else UNHEALTHY}
     *
     * @param score a composite score in [0, 100]
     */
    public static HealthVerdict of(double score) {
        if (Double.isNaN(score)) {
            throw new IllegalArgumentException("score must not be NaN, was " + score);
        }
        return score >= 75 ? HEALTHY : score >= 40 ? DEGRADED : UNHEALTHY;
    }
}
