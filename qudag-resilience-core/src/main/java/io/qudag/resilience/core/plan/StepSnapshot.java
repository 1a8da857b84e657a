package io.qudag.resilience.core.plan;

import java.time.Instant;

/**
 * One recovery step of an incident, as data (spec §4.3).
 *
 * @param procedure the procedure's name
 * @param level     the level it answers
 * @param phase     its phase
 * @param status    where it stands
 * @param manual    whether it needs approval
 * @param attempts  attempts started so far
 * @param startedAt when the first attempt started, or {@code null}
 * @param endedAt   when the last attempt ended, or {@code null}
 * @param outcome   the last outcome in words, or {@code null}
 */
public record StepSnapshot(String procedure, DisasterLevel level, RecoveryPhase phase, StepStatus status, boolean manual,
        int attempts, Instant startedAt, Instant endedAt, String outcome) {
}
