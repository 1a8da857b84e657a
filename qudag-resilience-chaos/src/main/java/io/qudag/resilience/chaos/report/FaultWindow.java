package io.qudag.resilience.chaos.report;

import io.qudag.resilience.chaos.FaultKind;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When one fault was on (spec §5.1): its name, kind and description, the share it affected, when it
 * started and ended, and the RTO measured for it — from injection until the steady state held again
 * (empty when it was never restored, or nothing was injected).
 *
 * @param injected false in a dry run or when chaos was off: the window shows the plan
 */
public record FaultWindow(String name, FaultKind kind, String description, double share, Instant start,
        Instant end, boolean injected, boolean disrupted, Optional<Duration> rto) {
}
