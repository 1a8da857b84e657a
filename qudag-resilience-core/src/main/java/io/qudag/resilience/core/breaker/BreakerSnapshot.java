package io.qudag.resilience.core.breaker;

import java.time.Duration;

/**
 * A consistent-enough view of an {@link AdaptiveCircuitBreaker} at one moment (spec §3.1), for
 * dashboards, tests and the hierarchy. Values are read without locking.
 *
 * @param state               the current state
 * @param callsInWindow       calls counted in the CLOSED sliding window
 * @param failureRate         failure share in the window (0 when empty)
 * @param slowCallRate        slow share in the window (0 when empty)
 * @param failureThreshold    the adapted failure threshold
 * @param lastOpenDuration    the open duration computed at the last opening (zero if never opened)
 * @param consecutiveOpenings openings since the breaker was last CLOSED
 * @param admittedShare       the share of calls admitted now: 1 in CLOSED/DISABLED, 0 in OPEN and
 *                            FORCED_OPEN, the configured share in HALF_OPEN, the ramp step's share in RECOVERY
 */
public record BreakerSnapshot(BreakerState state, long callsInWindow, double failureRate, double slowCallRate,
        double failureThreshold, Duration lastOpenDuration, int consecutiveOpenings, double admittedShare) {
}
