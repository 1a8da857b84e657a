package io.qudag.resilience.core.event;

import io.qudag.resilience.core.hierarchy.BreakerLevel;
import io.qudag.resilience.core.hierarchy.BreakerPath;
import java.time.Instant;

/**
 * A coordination step of a {@code BreakerHierarchy} (spec §3.2): an escalation, a proposal and its
 * decision, a stage of bottom-up recovery, a rollback.
 *
 * @param type   what happened
 * @param node   the node it concerns (the escalated or recovering node)
 * @param level  the level concerned (for a recovery stage: the level released in that stage)
 * @param detail in words, e.g. which services triggered it or which nodes were released
 * @param at     when, by the hierarchy's clock
 */
public record HierarchyEvent(Type type, BreakerPath node, BreakerLevel level, String detail, Instant at) {

    /** Kinds of hierarchy events. */
    public enum Type {
        /** Enough service breakers of a region opened: the regional breaker was opened. */
        REGIONAL_ESCALATION,
        /** A regional breaker stayed open: opening the global breaker was proposed. */
        GLOBAL_PROPOSED,
        /** The approval gate (or an operator) approved it: the global breaker was opened. */
        GLOBAL_APPROVED,
        /** The approval gate (or an operator) denied it. */
        GLOBAL_DENIED,
        /** The proposal is pending an operator's decision. */
        GLOBAL_HELD,
        /** A pending proposal was withdrawn: its region closed (or an operator took it over) first. */
        GLOBAL_WITHDRAWN,
        /** A cascading failure was detected: the global breaker was opened without approval. */
        CASCADE_EMERGENCY,
        /** A held node's hold expired: staged, bottom-up recovery began. */
        RECOVERY_STARTED,
        /** One level below (or at) the recovering node was validated and released to HALF_OPEN. */
        RECOVERY_STAGE,
        /** The recovering node itself was released: staged recovery is done. */
        RECOVERY_COMPLETED,
        /** A health check failed or a released node relapsed: the node stays held and recovery restarts later. */
        RECOVERY_ROLLED_BACK
    }
}
