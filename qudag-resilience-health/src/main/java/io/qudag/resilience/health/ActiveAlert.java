package io.qudag.resilience.health;

import java.time.Instant;

/**
 * An alert that is currently raised (spec §2.1): one metric of one subject at WARNING or worse.
 *
 * @param subject   the subject
 * @param metric    the metric
 * @param level     the current level (never NONE)
 * @param value     the latest sample
 * @param threshold the threshold of the level
 * @param since     when the metric entered an alert level (left NONE)
 */
public record ActiveAlert(String subject, String metric, AlertLevel level, double value, double threshold,
                          Instant since) {
}
