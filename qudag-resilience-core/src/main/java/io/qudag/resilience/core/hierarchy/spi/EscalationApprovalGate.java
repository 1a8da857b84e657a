package io.qudag.resilience.core.hierarchy.spi;

import io.qudag.resilience.core.hierarchy.ApprovalDecision;
import io.qudag.resilience.core.hierarchy.EscalationProposal;

/**
 * Decides whether a proposed global opening may happen (spec §3.2, {@code requires_approval}). The
 * default, {@link #holdAndReport()}, never opens silently: it keeps the proposal pending, and the
 * hierarchy logs it and publishes an event. Called from the thread running
 * {@link io.qudag.resilience.core.hierarchy.BreakerHierarchy#tick()}, outside the hierarchy's
 * coordination lock, so a slow gate delays only that tick, never breaker transitions; the decision
 * is applied only if the region has not closed in the meantime. Still, prefer returning HOLD and
 * resolving later for anything slow.
 */
@FunctionalInterface
public interface EscalationApprovalGate {

    /**
     * Decides on one proposal to open the global breaker.
     *
     * @param proposal the proposal, naming the region that stayed open
     * @return approve, deny, or hold for an operator
     */
    ApprovalDecision decide(EscalationProposal proposal);

    /** {@return a gate that holds every proposal for an operator} */
    static EscalationApprovalGate holdAndReport() {
        return p -> ApprovalDecision.HOLD;
    }

    /** {@return a gate that approves every proposal (for tests and fully automatic set-ups)} */
    static EscalationApprovalGate approveAll() {
        return p -> ApprovalDecision.APPROVED;
    }

    /** {@return a gate that denies every proposal} */
    static EscalationApprovalGate denyAll() {
        return p -> ApprovalDecision.DENIED;
    }
}
