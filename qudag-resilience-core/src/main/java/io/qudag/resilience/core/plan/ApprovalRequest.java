package io.qudag.resilience.core.plan;

import java.time.Instant;

/**
 * A manual recovery step asking for approval (spec §4.3).
 *
 * @param plan        the plan's name
 * @param incidentId  the incident
 * @param procedure   the procedure's name
 * @param level       the incident's level
 * @param phase       the procedure's phase
 * @param requestedAt when it was asked, by the plan's clock
 * @param deadline    when an unanswered request times out and the incident escalates
 */
public record ApprovalRequest(String plan, String incidentId, String procedure, DisasterLevel level, RecoveryPhase phase,
        Instant requestedAt, Instant deadline) {
}
