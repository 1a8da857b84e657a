package io.qudag.resilience.core.hierarchy;

/** What an {@link io.qudag.resilience.core.hierarchy.spi.EscalationApprovalGate} decided (spec §3.2). */
public enum ApprovalDecision {
    /** Open the global breaker now. */
    APPROVED,
    /** Do not open it; not asked again until the region has closed and reopened. */
    DENIED,
    /** Keep the proposal pending and report it; an operator resolves it later. */
    HOLD
}
