package io.qudag.resilience.recovery.event;

import java.time.Instant;

/**
 * A recovery began (spec §4.1 initiate_recovery_procedure).
 *
 * @param at      when
 * @param reason  why (e.g. "open", "request", "corruption")
 * @param target  what it recovers to, in words
 * @param preview whether the result will only be shown, not committed
 */
public record RecoveryStartedEvent(Instant at, String reason, String target, boolean preview) implements RecoveryEvent {
}
