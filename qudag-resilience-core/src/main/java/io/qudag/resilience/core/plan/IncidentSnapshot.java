package io.qudag.resilience.core.plan;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * An incident as plain data (spec §4.3), fit for JSON: its level, phase, time in phase, the
 * continuity mode, the steps done and pending and the phases it went through.
 *
 * @param id             the incident's id, e.g. {@code dr-plan-3}
 * @param status         ACTIVE or CLOSED
 * @param level          the current (or final) level
 * @param phase          the current (or final) phase
 * @param openedAt       when it opened
 * @param levelEnteredAt when it reached its level (phase time boxes count from here)
 * @param phaseEnteredAt when its phase began
 * @param closedAt       when it closed, or {@code null}
 * @param timeInPhase    time in the current phase (until closing, for a closed incident)
 * @param phaseDeadline  the end of the current phase's time box
 * @param mode           the operating mode in force
 * @param reasons        why it opened and escalated, in words
 * @param done           steps that finished (succeeded, failed or skipped)
 * @param pending        steps still to run, running or waiting
 * @param phases         the phases it went through, in order
 */
public record IncidentSnapshot(String id, IncidentStatus status, DisasterLevel level, RecoveryPhase phase, Instant openedAt,
        Instant levelEnteredAt, Instant phaseEnteredAt, Instant closedAt, Duration timeInPhase, Instant phaseDeadline,
        OperatingMode mode, List<String> reasons, List<StepSnapshot> done, List<StepSnapshot> pending,
        List<PhaseSnapshot> phases) {

    /**
     * Checks the components and copies the lists, so the snapshot is immutable.
     *
     * @param id the incident's id, e.g. {@code dr-plan-3}
     * @param status ACTIVE or CLOSED
     * @param level the current (or final) level
     * @param phase the current (or final) phase
     * @param openedAt when it opened
     * @param levelEnteredAt when it reached its level (phase time boxes count from here)
     * @param phaseEnteredAt when its phase began
     * @param closedAt when it closed, or {@code null}
     * @param timeInPhase time in the current phase (until closing, for a closed incident)
     * @param phaseDeadline the end of the current phase's time box
     * @param mode the operating mode in force
     * @param reasons why it opened and escalated, in words
     * @param done steps that finished (succeeded, failed or skipped)
     * @param pending steps still to run, running or waiting
     * @param phases the phases it went through, in order
     */
    public IncidentSnapshot {
        reasons = List.copyOf(reasons);
        done = List.copyOf(done);
        pending = List.copyOf(pending);
        phases = List.copyOf(phases);
    }
}
