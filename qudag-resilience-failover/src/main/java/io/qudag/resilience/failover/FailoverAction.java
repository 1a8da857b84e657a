package io.qudag.resilience.failover;

/** What a {@link FailoverDecision} did to the traffic (spec §1.2 trigger actions). */
public enum FailoverAction {
    /** All of the endpoint's traffic moved at once ({@code instant_traffic_redirection}). */
    INSTANT_REDIRECTION,
    /** One step of {@code progressive_traffic_shifting}. */
    PROGRESSIVE_SHIFT,
    /** One step of {@code proactive_load_redistribution}. */
    PROACTIVE_REDISTRIBUTION,
    /** An operator took the endpoint out or put it back. */
    DRAIN,
    /** An earlier decision or a ramp was undone. */
    ROLLBACK
}
