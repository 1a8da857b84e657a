package io.qudag.resilience.core.plan;

import java.time.Instant;

/**
 * The state of a disaster-recovery plan as plain data (spec §4.3), fit for JSON and for the health
 * page and chaos report.
 *
 * @param plan            the plan's name
 * @param at              when taken, by the plan's clock
 * @param mode            the operating mode in force
 * @param operatorMode    the mode an operator set, or {@code null}
 * @param classifiedLevel the level the failing signals amount to now, or {@code null}
 * @param incident        the open incident, or {@code null}
 * @param lastIncident    the last closed incident, or {@code null}
 */
public record PlanSnapshot(String plan, Instant at, OperatingMode mode, OperatingMode operatorMode,
        DisasterLevel classifiedLevel, IncidentSnapshot incident, IncidentSnapshot lastIncident) {
}
