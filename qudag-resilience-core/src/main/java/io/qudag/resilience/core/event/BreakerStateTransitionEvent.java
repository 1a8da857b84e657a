package io.qudag.resilience.core.event;

import io.qudag.resilience.core.breaker.BreakerState;
import java.time.Duration;
import java.time.Instant;

/**
 * One transition of an {@code AdaptiveCircuitBreaker} (spec §3.1): published to every
 * {@link BreakerEventListener} on the thread that made the transition, right after it happened.
 *
 * @param breakerName      the breaker's name
 * @param from             the state it left
 * @param to               the state it entered
 * @param reason           why, in words (e.g. "failure rate 0.25 >= threshold 0.05")
 * @param at               when, by the breaker's clock
 * @param failureThreshold the adapted failure threshold at that moment
 * @param openDuration     for a move to OPEN: how long it stays open ({@link Duration#ZERO} when
 *                         held until released); otherwise {@link Duration#ZERO}
 * @param automatic        whether the breaker moved by itself (false: administrative or escalation)
 */
public record BreakerStateTransitionEvent(String breakerName, BreakerState from, BreakerState to, String reason,
        Instant at, double failureThreshold, Duration openDuration, boolean automatic) {
}
