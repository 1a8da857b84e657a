package io.qudag.resilience.core.health;

/**
 * The grade of a 0–100 health score (spec §2.1, {@code score_ranges}): EXCELLENT 90–100, GOOD 75–89,
 * FAIR 60–74, POOR 40–59, CRITICAL 0–39. Boundaries are inclusive at the bottom of each range, and
 * the gaps between the spec's integer ranges belong to the lower grade: 89.999 is GOOD, 90 is EXCELLENT.
 */
public enum HealthGrade {
    /** Score 90 and above. */
    EXCELLENT(90),
    /** Score 75 up to 90. */
    GOOD(75),
    /** Score 60 up to 75. */
    FAIR(60),
    /** Score 40 up to 60. */
    POOR(40),
    /** Score below 40. */
    CRITICAL(Double.NEGATIVE_INFINITY);

    private final double lowerBound;

    HealthGrade(double lowerBound) {
        this.lowerBound = lowerBound;
    }

    /** {@return the smallest score that earns this grade ({@code -Infinity} for CRITICAL)} */
    public double lowerBound() {
        return lowerBound;
    }

    /**
     * {@return the grade of {@code score}: EXCELLENT when {@code >= 90}, GOOD {@code >= 75}, FAIR {@code >= 60},
     * POOR {@code >= 40}, else CRITICAL}
     *
     * @param score a composite score, normally in [0, 100]
     * @throws IllegalArgumentException when {@code score} is NaN
     */
    public static HealthGrade of(double score) {
        if (Double.isNaN(score)) {
            throw new IllegalArgumentException("score must not be NaN, was " + score);
        }
        if (score >= 90) {
            return EXCELLENT;
        }
        if (score >= 75) {
            return GOOD;
        }
        if (score >= 60) {
            return FAIR;
        }
        if (score >= 40) {
            return POOR;
        }
        return CRITICAL;
    }
}
