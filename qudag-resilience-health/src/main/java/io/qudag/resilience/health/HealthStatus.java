package io.qudag.resilience.health;

import io.qudag.resilience.core.health.HealthGrade;

/**
 * The state of a subject's composite score (spec §2.1 {@code score_ranges}): core's five grades, plus
 * UNKNOWN while there is no data to score (never a NaN or a made-up number).
 */
public enum HealthStatus {
    /** No data to score yet. */
    UNKNOWN,
    /** Score 90 and above. */
    EXCELLENT,
    /** Score 75 up to 90. */
    GOOD,
    /** Score 60 up to 75. */
    FAIR,
    /** Score 40 up to 60. */
    POOR,
    /** Score below 40. */
    CRITICAL;

    /**
     * {@return the status of a grade; UNKNOWN for null}
     *
     * @param grade core's grade, or {@code null} without data
     */
    public static HealthStatus of(HealthGrade grade) {
        return grade == null ? UNKNOWN : valueOf(grade.name());
    }
}
