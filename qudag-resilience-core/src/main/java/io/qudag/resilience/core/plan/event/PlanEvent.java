package io.qudag.resilience.core.plan.event;

import io.qudag.resilience.core.plan.DisasterLevel;
import io.qudag.resilience.core.plan.OperatingMode;
import io.qudag.resilience.core.plan.RecoveryPhase;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One transition of a disaster-recovery plan (spec §4.3) and one entry of its audit trail.
 *
 * @param type       what happened
 * @param plan       the plan's name
 * @param sequence   1, 2, 3... per plan, in the order the events happened
 * @param incidentId the incident, or {@code null} (a mode change without incident)
 * @param level      the incident's level after the transition, or {@code null}
 * @param phase      the incident's phase after the transition, or {@code null}
 * @param mode       the operating mode after the transition
 * @param procedure  the procedure concerned, or {@code null}
 * @param attempt    the attempt concerned (0 when none)
 * @param detail     in words (never null)
 * @param duration   for ends (a step, a phase, an incident): how long it took; otherwise {@link Duration#ZERO}
 * @param at         when, by the plan's clock
 */
public record PlanEvent(Type type, String plan, long sequence, String incidentId, DisasterLevel level, RecoveryPhase phase,
        OperatingMode mode, String procedure, int attempt, String detail, Duration duration, Instant at) {

    /**
     * Checks the event's components.
     *
     * @param type what happened
     * @param plan the plan's name
     * @param sequence 1, 2, 3... per plan, in the order the events happened
     * @param incidentId the incident, or {@code null} (a mode change without incident)
     * @param level the incident's level after the transition, or {@code null}
     * @param phase the incident's phase after the transition, or {@code null}
     * @param mode the operating mode after the transition
     * @param procedure the procedure concerned, or {@code null}
     * @param attempt the attempt concerned (0 when none)
     * @param detail in words (never null)
     * @param duration for ends (a step, a phase, an incident): how long it took; otherwise {@link Duration#ZERO}
     * @param at when, by the plan's clock
     */
    public PlanEvent {
        Objects.requireNonNull(type, "type");
        detail = detail == null ? "" : detail;
        duration = duration == null ? Duration.ZERO : duration;
    }

    /** Kinds of plan events. */
    public enum Type {
        /** Signals (or an operator) opened an incident. */
        INCIDENT_OPENED,
        /** The incident's level rose: by classification, a failed step, a denied or late approval, or an overrun time box. */
        LEVEL_ESCALATED,
        /** The incident entered a phase. */
        PHASE_ENTERED,
        /** Every step of a phase succeeded. */
        PHASE_COMPLETED,
        /** A phase was still running at the end of its time box. */
        TIME_BOX_OVERRUN,
        /** An attempt of a procedure started. */
        PROCEDURE_STARTED,
        /** An attempt succeeded and its validation passed. */
        PROCEDURE_SUCCEEDED,
        /** An attempt failed (threw, failed validation or timed out). */
        PROCEDURE_FAILED,
        /** A failed procedure will be tried again after its backoff. */
        PROCEDURE_RETRY_SCHEDULED,
        /** A procedure will not run: the incident escalated before its turn. */
        PROCEDURE_SKIPPED,
        /** A manual procedure asked for approval. */
        APPROVAL_REQUESTED,
        /** It was approved. */
        APPROVAL_GRANTED,
        /** It was denied. */
        APPROVAL_DENIED,
        /** No answer came before the approval timeout. */
        APPROVAL_TIMED_OUT,
        /** The incident is at the highest level and needs an operator. */
        OPERATOR_REQUIRED,
        /** The operating mode changed. */
        MODE_CHANGED,
        /** The incident closed: recovery validated, or resolved by an operator. */
        INCIDENT_CLOSED
    }
}
