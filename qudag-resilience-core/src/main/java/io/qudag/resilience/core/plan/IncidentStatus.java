package io.qudag.resilience.core.plan;

/** Whether an incident (spec §4.3) is being worked on or over. */
public enum IncidentStatus {
    /** Open: procedures run, the level may still rise. */
    ACTIVE,
    /** Closed: recovery was validated (or an operator resolved it). */
    CLOSED
}
