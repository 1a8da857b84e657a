package io.qudag.resilience.health.predict;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A prediction that a metric of a subject will cross its critical threshold (spec §2.1
 * {@code early_warning_system}).
 *
 * @param subject         the subject
 * @param metric          the metric
 * @param level           the early-warning level
 * @param confidence      probability in [0, 1] that the threshold is crossed within the level's notice
 * @param timeToThreshold when the point forecast crosses (zero when already crossed)
 * @param threshold       the threshold predicted to be crossed
 * @param reason          a short explanation ("response_time_p95 rising 8.0 ms per 1 s sample, ...")
 * @param at              when the prediction was made
 */
public record EarlyWarning(String subject, String metric, EarlyWarningLevel level, double confidence,
                           Duration timeToThreshold, double threshold, String reason, Instant at) {
    /**
     * Checks the warning's components.
     *
     * @param subject the subject
     * @param metric the metric
     * @param level the early-warning level
     * @param confidence probability in [0, 1] that the threshold is crossed within the level's notice
     * @param timeToThreshold when the point forecast crosses (zero when already crossed)
     * @param threshold the threshold predicted to be crossed
     * @param reason a short explanation ("response_time_p95 rising 8.0 ms per 1 s sample, ...")
     * @param at when the prediction was made
     */
    public EarlyWarning {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(timeToThreshold, "timeToThreshold");
        Objects.requireNonNull(at, "at");
    }
}
