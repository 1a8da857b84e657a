package io.qudag.resilience.chaos;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import io.qudag.resilience.core.ToolCall;

/**
 * What every injector shares (spec §5.1): its name, the share of matching calls it hits ({@code rate},
 * 0–1), the predicate that picks the calls it may hit ({@code scope}), how long it stays active once
 * started ({@code duration}; empty = until stopped), the seed of its own random source, the clock that
 * times its window and how the tenant of a call is found. Immutable; built and validated by
 * {@link FaultInjectorBuilder}.
 */
public record InjectorConfig(
        String name,
        FaultKind kind,
        double rate,
        Predicate<ChaosContext> scope,
        Optional<Duration> duration,
        long seed,
        Clock clock,
        Function<ToolCall, String> tenantOf) {
}
