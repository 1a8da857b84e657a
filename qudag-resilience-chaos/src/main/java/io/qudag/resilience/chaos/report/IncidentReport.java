package io.qudag.resilience.chaos.report;

import io.qudag.resilience.core.plan.DisasterLevel;
import io.qudag.resilience.core.plan.DisasterRecoveryPlanConfig;
import io.qudag.resilience.core.plan.IncidentSnapshot;
import io.qudag.resilience.core.plan.IncidentStatus;
import io.qudag.resilience.core.plan.OperatingMode;
import io.qudag.resilience.core.plan.PhaseSnapshot;
import io.qudag.resilience.core.plan.RecoveryPhase;
import io.qudag.resilience.core.plan.StepSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The disaster-recovery incident a drill raised in a plan (spec §4.3, validated by a drill of spec
 * §5.2): its level, status and operating mode, every phase it went through with the measured duration
 * against the phase's time box, and every recovery step with its outcome. Part of an
 * {@link ExperimentReport}.
 *
 * @param plan     the plan's name
 * @param takenAt  when the incident was read, by the plan's clock (a running phase is measured up to here)
 * @param id       the incident's id
 * @param status   ACTIVE or CLOSED
 * @param level    its final (or current) level
 * @param phase    its final (or current) phase
 * @param mode     the operating mode in force
 * @param openedAt when it opened
 * @param closedAt when it closed, or {@code null}
 * @param reasons  why it opened and escalated
 * @param phases   the phases it went through, in order
 * @param steps    the recovery steps, done first, then pending
 */
public record IncidentReport(String plan, Instant takenAt, String id, IncidentStatus status, DisasterLevel level,
        RecoveryPhase phase, OperatingMode mode, Instant openedAt, Instant closedAt, List<String> reasons,
        List<PhaseResult> phases, List<StepSnapshot> steps) {

    /**
     * Copies the lists into immutable ones.
     *
     * @param plan     the plan's name
     * @param takenAt  when the incident was read, by the plan's clock (a running phase is measured up to here)
     * @param id       the incident's id
     * @param status   ACTIVE or CLOSED
     * @param level    its final (or current) level
     * @param phase    its final (or current) phase
     * @param mode     the operating mode in force
     * @param openedAt when it opened
     * @param closedAt when it closed, or {@code null}
     * @param reasons  why it opened and escalated
     * @param phases   the phases it went through, in order
     * @param steps    the recovery steps, done first, then pending
     */
    public IncidentReport {
        reasons = List.copyOf(reasons);
        phases = List.copyOf(phases);
        steps = List.copyOf(steps);
    }

    /**
     * One phase with its measured duration against its time box.
     *
     * @param measured how long it took (up to {@code takenAt} while still running)
     * @param timeBox  the configured time box of the phase, counted from the moment the incident reached
     *                 {@code level}
     * @param allowed  the time the phase had: from its start to its deadline
     * @param overran  whether it was still running at its deadline
     */
    public record PhaseResult(DisasterLevel level, RecoveryPhase phase, Instant enteredAt, Instant endedAt,
            Duration measured, Duration timeBox, Instant deadline, Duration allowed, boolean overran) {

        /** {@return the share of the allowed time the phase used (above 1 when it overran)} */
        public double usedShare() {
            long allowedNanos = Math.max(1, allowed.toNanos());
            return measured.toNanos() / (double) allowedNanos;
        }
    }

    /**
     * Builds the report of {@code incident} read at {@code takenAt}, with the time boxes of {@code config}.
     *
     * @param plan     the plan's name
     * @param incident the plan's incident
     * @param config   the plan's configuration (its time boxes)
     * @param takenAt  when the incident was read
     * @return the report
     */
    public static IncidentReport of(String plan, IncidentSnapshot incident, DisasterRecoveryPlanConfig config,
            Instant takenAt) {
        Objects.requireNonNull(incident, "incident");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(takenAt, "takenAt");
        List<PhaseResult> phases = new ArrayList<>();
        for (PhaseSnapshot p : incident.phases()) {
            Instant end = p.endedAt() != null ? p.endedAt() : incident.closedAt() != null ? incident.closedAt() : takenAt;
            Duration measured = Duration.between(p.enteredAt(), end);
            boolean overran = p.overran() || end.isAfter(p.deadline());
            phases.add(new PhaseResult(p.level(), p.phase(), p.enteredAt(), p.endedAt(), measured,
                    config.timeBox(p.phase()), p.deadline(), Duration.between(p.enteredAt(), p.deadline()), overran));
        }
        List<StepSnapshot> steps = new ArrayList<>(incident.done());
        steps.addAll(incident.pending());
        return new IncidentReport(plan, takenAt, incident.id(), incident.status(), incident.level(), incident.phase(),
                incident.mode(), incident.openedAt(), incident.closedAt(), incident.reasons(), phases, steps);
    }

    /** {@return whether the incident closed} */
    public boolean closed() {
        return status == IncidentStatus.CLOSED;
    }

    /** {@return whether any phase overran its time box} */
    public boolean anyPhaseOverran() {
        return phases.stream().anyMatch(PhaseResult::overran);
    }
}
