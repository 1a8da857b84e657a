package io.qudag.resilience.core.plan;

/** Where one recovery procedure stands within an incident (spec §4.3). */
public enum StepStatus {
    /** Not started. */
    PENDING,
    /** A manual step waiting for approval. */
    AWAITING_APPROVAL,
    /** An attempt is running. */
    RUNNING,
    /** An attempt failed; the next one waits for its backoff. */
    WAITING_RETRY,
    /** Done, and its validation passed. */
    SUCCEEDED,
    /** Every attempt failed, or approval was denied or timed out. */
    FAILED,
    /** Not run: the incident escalated before its turn. */
    SKIPPED;

    /** {@return whether the step will not move again} */
    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == SKIPPED;
    }
}
