package io.qudag.resilience.core.health;

/**
 * The four dimensions of the composite health score (spec §2.1, {@code health_score_calculation}),
 * each with the spec's default weight. The default weights sum to 1.
 */
public enum HealthCategory {
    /** CPU, memory, disk: weight 0.3. */
    SYSTEM(0.3),
    /** Response time, error rate, connection success: weight 0.4. */
    APPLICATION(0.4),
    /** Business throughput and satisfaction: weight 0.2. */
    BUSINESS(0.2),
    /** Predictions of failure: weight 0.1. */
    PREDICTIVE(0.1);

    private final double defaultWeight;

    HealthCategory(double defaultWeight) {
        this.defaultWeight = defaultWeight;
    }

    /** {@return the spec's weight of this category in the composite score} */
    public double defaultWeight() {
        return defaultWeight;
    }
}
