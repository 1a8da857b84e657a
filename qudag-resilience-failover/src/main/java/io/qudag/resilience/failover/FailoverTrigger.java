package io.qudag.resilience.failover;

/**
 * The family of a {@link FailoverDecision}: the three trigger families of spec §1.2
 * ({@code failover_triggers}) plus the decisions operators and recovery make.
 */
public enum FailoverTrigger {
    /** Server unreachable, authentication failure, critical service unavailable: instant redirection. */
    IMMEDIATE,
    /** Degradation, error rate, resource exhaustion: progressive traffic shifting. */
    GRADUAL,
    /** Trend signal, maintenance window, capacity threshold: proactive redistribution. */
    PREDICTIVE,
    /** An operator drained, undrained or forced a failover. */
    MANUAL,
    /** A decision was undone (one-step manual rollback, automatic rollback, ramp relapse). */
    ROLLBACK
}
