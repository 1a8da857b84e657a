package io.qudag.resilience.core.hierarchy;

import java.time.Instant;

/**
 * A proposal to open the global breaker because a regional breaker stayed open (spec §3.2 rule
 * {@code regional_breaker_sustained_open}, {@code requires_approval: true}). Handed to the
 * {@link io.qudag.resilience.core.hierarchy.spi.EscalationApprovalGate}.
 *
 * @param id         unique within the hierarchy, used with {@link BreakerHierarchy#resolveProposal}
 * @param region     the regional breaker that stayed open
 * @param target     the breaker proposed for opening (global)
 * @param openSince  since when the region has not been CLOSED
 * @param proposedAt when the proposal was made
 * @param reason     in words
 */
public record EscalationProposal(String id, BreakerPath region, BreakerPath target, Instant openSince,
        Instant proposedAt, String reason) {
}
