package io.qudag.resilience.core.event;

import io.qudag.resilience.core.health.HealthAction;
import java.time.Instant;
import java.util.Objects;

/**
 * An automated action of spec §2.1 became due ({@link Kind#ENTERED}: the health score fell below the
 * action's threshold) or stopped being due ({@link Kind#CLEARED}: the score is back at or above it).
 * Published once per crossing by {@code HealthMonitor}, never once per sample.
 *
 * @param subject       what is monitored, e.g. an endpoint id
 * @param action        the action
 * @param kind          ENTERED or CLEARED
 * @param score         the score that caused the crossing
 * @param previousScore the score of the evaluation before, NaN when there was none (or it had no data)
 * @param at            when the score was evaluated (from the monitor's clock)
 */
public record HealthActionEvent(String subject, HealthAction action, Kind kind, double score,
                                double previousScore, Instant at) {

    /** Whether the action became due or stopped being due. */
    public enum Kind {
        /** The score fell below the action's threshold. */
        ENTERED,
        /** The score returned to at least the action's threshold. */
        CLEARED
    }

    /**
     * Checks the event's components.
     *
     * @param subject what is monitored, e.g. an endpoint id
     * @param action the action
     * @param kind ENTERED or CLEARED
     * @param score the score that caused the crossing
     * @param previousScore the score of the evaluation before, NaN when there was none (or it had no data)
     * @param at when the score was evaluated (from the monitor's clock)
     */
    public HealthActionEvent {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(at, "at");
    }
}
