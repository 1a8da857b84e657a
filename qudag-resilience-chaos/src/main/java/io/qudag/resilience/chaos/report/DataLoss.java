package io.qudag.resilience.chaos.report;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * The acknowledged data an experiment or drill lost, counted record by record (spec §4.1 recovery point
 * objective, §5.2 validation): how many records were acknowledged, how many of them are missing after
 * recovery, and the recovery point {@code window} — the span from the first lost record's acknowledgement
 * to the last acknowledgement, zero when nothing was lost. The window is the RPO the report judges against
 * its {@link RecoveryObjective}; the counts keep a loss visible even when it fits inside the objective.
 *
 * @param acknowledged records the store acknowledged during the run
 * @param lost acknowledged records missing after recovery
 * @param window the recovery point: the span of acknowledged data lost
 */
public record DataLoss(long acknowledged, long lost, Duration window) {

    /**
     * Validates the components.
     *
     * @param acknowledged records the store acknowledged during the run
     * @param lost acknowledged records missing after recovery
     * @param window the recovery point: the span of acknowledged data lost
     * @throws IllegalArgumentException naming the field and value when one is negative or inconsistent
     */
    public DataLoss {
        if (acknowledged < 0) {
            throw new IllegalArgumentException("acknowledged must not be negative, was " + acknowledged);
        }
        if (lost < 0 || lost > acknowledged) {
            throw new IllegalArgumentException("lost must be between 0 and acknowledged (" + acknowledged + "), was "
                    + lost);
        }
        if (window == null || window.isNegative()) {
            throw new IllegalArgumentException("window must not be negative, was " + window);
        }
        if (lost == 0 && !window.isZero()) {
            throw new IllegalArgumentException("window must be zero when nothing was lost, was " + window);
        }
    }

    /**
     * {@return a finding that nothing of {@code acknowledged} records was lost}
     *
     * @param acknowledged records the store acknowledged
     */
    public static DataLoss none(long acknowledged) {
        return new DataLoss(acknowledged, 0, Duration.ZERO);
    }

    /**
     * Compares what was acknowledged (each key with the instant it was acknowledged) with what survived
     * recovery.
     *
     * @param <K>            the record key type
     * @param acknowledgedAt each acknowledged key with the instant it was acknowledged
     * @param recovered      the keys found after recovery
     * @return the loss
     */
    public static <K> DataLoss measure(Map<K, Instant> acknowledgedAt, Set<? super K> recovered) {
        if (acknowledgedAt == null || recovered == null) {
            throw new IllegalArgumentException("acknowledgedAt and recovered must not be null, were "
                    + (acknowledgedAt == null ? null : "a map") + ", " + (recovered == null ? null : "a set"));
        }
        Instant last = null;
        Instant firstLost = null;
        long lost = 0;
        for (Map.Entry<K, Instant> e : acknowledgedAt.entrySet()) {
            Instant at = e.getValue();
            if (last == null || at.isAfter(last)) {
                last = at;
            }
            if (!recovered.contains(e.getKey())) {
                lost++;
                if (firstLost == null || at.isBefore(firstLost)) {
                    firstLost = at;
                }
            }
        }
        return lost == 0 ? none(acknowledgedAt.size())
                : new DataLoss(acknowledgedAt.size(), lost, Duration.between(firstLost, last));
    }

    /** {@return whether every acknowledged record survived} */
    public boolean nothingLost() {
        return lost == 0;
    }

    @Override
    public String toString() {
        return lost + " of " + acknowledged + " acknowledged records lost (window " + window + ")";
    }
}
