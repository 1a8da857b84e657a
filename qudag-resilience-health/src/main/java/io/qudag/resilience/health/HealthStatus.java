package io.qudag.resilience.health;

import io.qudag.resilience.core.health.HealthGrade;

/**
 * The state of a subject's composite score (spec §2.1 {@code score_ranges}): core's five grades, plus
 * UNKNOWN while there is no data to score (never a NaN or a made-up number).
 */
public enum HealthStatus {
    UNKNOWN,
    EXCELLENT,
    GOOD,
    FAIR,
    POOR,
    CRITICAL;

    /** {@return the status of a grade; UNKNOWN for null} */
    public static HealthStatus of(HealthGrade grade) {
        return grade == null ? UNKNOWN : valueOf(grade.name());
    }
}
