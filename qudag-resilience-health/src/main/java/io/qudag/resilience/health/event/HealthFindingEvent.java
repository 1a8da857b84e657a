package io.qudag.resilience.health.event;

import java.time.Instant;
import java.util.Objects;

/**
 * A detector found something in a series (spec §2.1 {@code historical_analysis}): an anomalous
 * sample, a performance regression of p95 (change point), a connection leak or a memory leak.
 * Published once when the condition starts, not for every sample while it lasts.
 *
 * @param subject the subject
 * @param metric  the metric
 * @param kind    what was found
 * @param value   the sample (or heap bytes after GC) that triggered it
 * @param detail  a short explanation
 * @param at      when
 */
public record HealthFindingEvent(String subject, String metric, Kind kind, double value, String detail, Instant at) {

    /** What a detector found. */
    public enum Kind {
        /** The anomaly detector flagged a sample (spike or level shift). */
        ANOMALY,
        /** The change-point test found a lasting rise of p95 latency. */
        REGRESSION,
        /** Active connections keep growing. */
        CONNECTION_LEAK,
        /** Heap after GC keeps growing towards the limit. */
        MEMORY_LEAK
    }

    /**
     * Checks the event's components.
     *
     * @param subject the subject
     * @param metric the metric
     * @param kind what was found
     * @param value the sample (or heap bytes after GC) that triggered it
     * @param detail a short explanation
     * @param at when
     */
    public HealthFindingEvent {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(at, "at");
    }
}
