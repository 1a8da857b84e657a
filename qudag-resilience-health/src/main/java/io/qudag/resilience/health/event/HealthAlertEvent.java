package io.qudag.resilience.health.event;

import io.qudag.resilience.health.AlertLevel;
import java.time.Instant;
import java.util.Objects;

/**
 * A metric of one subject changed its alert level (spec §2.1 {@code alert_thresholds}). Published once
 * per crossing, never once per sample: {@link Kind#RAISED} when the level got worse,
 * {@link Kind#LOWERED} when it improved but is still above NONE, {@link Kind#CLEARED} when it is back
 * to NONE.
 *
 * @param subject       what is monitored (an endpoint id, "system")
 * @param metric        the metric's name
 * @param level         the new level
 * @param previousLevel the level before
 * @param kind          RAISED, LOWERED or CLEARED
 * @param value         the sample that caused the change
 * @param threshold     the threshold that was crossed (for a raise, the new level's; otherwise the
 *                      threshold of the level that was left)
 * @param at            when the sample was taken (from the injected clock)
 */
public record HealthAlertEvent(String subject, String metric, AlertLevel level, AlertLevel previousLevel, Kind kind,
                               double value, double threshold, Instant at) {

    /** Which way the level moved. */
    public enum Kind {
        /** The level rose. */
        RAISED,
        /** The level fell, but not to NONE. */
        LOWERED,
        /** The level fell to NONE. */
        CLEARED
    }

    /**
     * Checks the event's components.
     *
     * @param subject what is monitored (an endpoint id, "system")
     * @param metric the metric's name
     * @param level the new level
     * @param previousLevel the level before
     * @param kind RAISED, LOWERED or CLEARED
     * @param value the sample that caused the change
     * @param threshold the threshold that was crossed (for a raise, the new level's; otherwise the
     *     threshold of the level that was left)
     * @param at when the sample was taken (from the injected clock)
     */
    public HealthAlertEvent {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(previousLevel, "previousLevel");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(at, "at");
    }
}
