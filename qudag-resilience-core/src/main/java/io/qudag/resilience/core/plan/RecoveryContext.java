package io.qudag.resilience.core.plan;

import java.time.Clock;
import java.util.List;

/**
 * What a recovery procedure learns about the incident it answers (spec §4.3).
 *
 * @param plan       the plan's name
 * @param incidentId the incident
 * @param level      the incident's level when the attempt started
 * @param phase      the procedure's phase
 * @param attempt    1 for the first attempt
 * @param failing    the signals failing when the attempt started (unmodifiable)
 * @param clock      the plan's clock
 */
public record RecoveryContext(String plan, String incidentId, DisasterLevel level, RecoveryPhase phase, int attempt,
        List<IncidentSignal> failing, Clock clock) {

    /**
     * Checks the components and copies the list of failing signals.
     *
     * @param plan the plan's name
     * @param incidentId the incident
     * @param level the incident's level when the attempt started
     * @param phase the procedure's phase
     * @param attempt 1 for the first attempt
     * @param failing the signals failing when the attempt started (unmodifiable)
     * @param clock the plan's clock
     */
    public RecoveryContext {
        failing = List.copyOf(failing);
    }
}
