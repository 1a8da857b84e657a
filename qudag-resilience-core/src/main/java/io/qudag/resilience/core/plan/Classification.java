package io.qudag.resilience.core.plan;

import java.util.List;

/**
 * What an {@link IncidentClassifier} concluded after a signal (spec §4.3, "Disaster
 * Classification").
 *
 * @param level        the level the active failures amount to, or {@code null} when nothing fails
 * @param reasons      the rules that fired, in words, gravest first (unmodifiable)
 * @param newFailure   whether the signal turned its key from healthy (or unknown) to failing: only
 *                     such a signal opens a new incident, so repeating a known failure does not
 */
public record Classification(DisasterLevel level, List<String> reasons, boolean newFailure) {

    /**
     * Checks the level and copies the reasons.
     *
     * @param level the level the active failures amount to, or {@code null} when nothing fails
     * @param reasons the rules that fired, in words, gravest first (unmodifiable)
     * @param newFailure whether the signal turned its key from healthy (or unknown) to failing: only
     *     such a signal opens a new incident, so repeating a known failure does not
     */
    public Classification {
        reasons = List.copyOf(reasons);
    }

    /** {@return the classification when nothing fails} */
    public static Classification none() {
        return new Classification(null, List.of(), false);
    }
}
