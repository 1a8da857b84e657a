package io.qudag.resilience.core.plan;

import java.time.Duration;
import java.time.Instant;

/**
 * One phase an incident went through, with its measured duration against its time box (spec §4.3).
 *
 * @param level     the incident's level during the phase
 * @param phase     the phase
 * @param enteredAt when it began
 * @param endedAt   when it ended, or {@code null} while it runs
 * @param deadline  the end of its time box
 * @param overran   whether it was still running at its deadline
 */
public record PhaseSnapshot(DisasterLevel level, RecoveryPhase phase, Instant enteredAt, Instant endedAt, Instant deadline,
        boolean overran) {

    /**
     * {@return how long the phase took ({@code at} when still running)}
     *
     * @param at the current instant, used for a phase still running
     */
    public Duration duration(Instant at) {
        return Duration.between(enteredAt, endedAt == null ? at : endedAt);
    }
}
