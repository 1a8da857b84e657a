package io.qudag.resilience.chaos.report;

/** How an experiment ended (spec §5.1, {@code post_experiment_analysis}). */
public enum ExperimentStatus {
    /** The hypothesis held before and was restored after the method. */
    PASSED,
    /** The method ran, but the steady state was not restored within the recovery timeout. */
    FAILED,
    /** An abort condition stopped it (hypothesis violated too long, blast radius exceeded); rolled back. */
    ABORTED,
    /** The hypothesis did not hold before any fault: nothing was injected. */
    NOT_STEADY,
    /** Chaos is off (switch or guard): nothing was injected. */
    CHAOS_OFF,
    /** A dry run: the plan was reported, nothing was injected. */
    DRY_RUN,
    /** The experiment itself failed (a fault could not be injected); rolled back. */
    ERROR
}
