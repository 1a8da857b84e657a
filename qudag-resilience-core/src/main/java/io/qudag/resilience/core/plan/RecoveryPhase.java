package io.qudag.resilience.core.plan;

import java.time.Duration;
import java.util.List;

/**
 * The four phases of recovery of spec §4.3 ("Recovery Procedures"), in the order they run. Each has
 * a time box: the phase should be over this long after its incident reached its current level
 * (immediate response 0–15 min, short-term 15 min–4 h, medium-term 4–24 h, long-term 1 day–1
 * week). The defaults here are the spec's; a {@link DisasterRecoveryPlanConfig} may set others.
 */
public enum RecoveryPhase {
    /** 0–15 min: incident detection and assessment, response team activation, isolation, notification. */
    IMMEDIATE_RESPONSE(Duration.ofMinutes(15), List.of("incident detection and assessment",
            "emergency response team activation", "critical system isolation", "stakeholder notification")),
    /** 15 min–4 h: alternative system activation, data recovery, service restoration, user communication. */
    SHORT_TERM(Duration.ofHours(4), List.of("alternative system activation", "data recovery initiation",
            "service restoration procedures", "user communication")),
    /** 4–24 h: full restoration, data validation and consistency checks, performance, business processes. */
    MEDIUM_TERM(Duration.ofHours(24), List.of("full system restoration", "data validation and consistency checks",
            "performance optimization", "business process resumption")),
    /** 1 day–1 week: infrastructure rebuilding, process improvement, lessons learned, plan updates. */
    LONG_TERM(Duration.ofDays(7), List.of("infrastructure rebuilding", "process improvement implementation",
            "lessons learned documentation", "recovery plan updates"));

    private final Duration defaultTimeBox;
    private final List<String> activities;

    RecoveryPhase(Duration defaultTimeBox, List<String> activities) {
        this.defaultTimeBox = defaultTimeBox;
        this.activities = activities;
    }

    /** {@return the spec's end of this phase, counted from the moment the incident reached its level} */
    public Duration defaultTimeBox() {
        return defaultTimeBox;
    }

    /** {@return the spec's activities of this phase, as data (unmodifiable)} */
    public List<String> activities() {
        return activities;
    }

    /** {@return the phase after this one, or {@code null} for {@link #LONG_TERM}} */
    public RecoveryPhase next() {
        return this == LONG_TERM ? null : values()[ordinal() + 1];
    }
}
