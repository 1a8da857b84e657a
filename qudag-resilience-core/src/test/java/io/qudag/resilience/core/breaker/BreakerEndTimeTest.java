package io.qudag.resilience.core.breaker;

import static org.assertj.core.api.Assertions.assertThat;

import io.qudag.resilience.core.CallOutcome;
import io.qudag.resilience.core.MutableClock;
import io.qudag.resilience.core.ToolCall;
import io.qudag.resilience.core.hierarchy.BreakerHierarchy;
import io.qudag.resilience.core.hierarchy.HierarchyPath;
import io.qudag.resilience.core.hierarchy.PathResolver;
import io.qudag.resilience.core.pipeline.ResiliencePipeline;
import io.qudag.resilience.core.spi.Breaker;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The end reading a caller hands to {@link Breaker#onOutcome(ToolCall, CallOutcome, long, long, Throwable)}:
 * a default breaker files the outcome by it (no clock read of its own) and a breaker on an injected
 * clock ignores it. What the pipeline passes: {@code ResiliencePipelineTest}.
 */
class BreakerEndTimeTest {

    private static final long ELEVEN_MINUTES = Duration.ofMinutes(11).toNanos();
    private static final long MS = 1_000_000L;

    @Test
    void aDefaultBreakerFilesTheOutcomeByTheCallersEndReading() {
        AdaptiveCircuitBreaker breaker = AdaptiveCircuitBreaker.ofDefaults("default");
        long longAgo = System.nanoTime() - ELEVEN_MINUTES;
        for (int i = 0; i < 3; i++) {
            breaker.onOutcome(null, CallOutcome.SUCCESS, MS, longAgo, null);
        }
        assertThat(breaker.snapshot().callsInWindow()).as("ended before the 10-minute window").isZero();
        breaker.onOutcome(null, CallOutcome.SUCCESS, MS, System.nanoTime(), null);
        breaker.onOutcome(null, CallOutcome.SUCCESS, MS, null);
        assertThat(breaker.snapshot().callsInWindow()).isEqualTo(2);
        breaker.onOutcome(null, CallOutcome.SUCCESS, MS, Breaker.NO_END_TIME, null);
        assertThat(breaker.snapshot().callsInWindow()).as("no reading: the breaker reads its own").isEqualTo(3);
    }

    @Test
    void aBreakerOnAnInjectedClockIgnoresTheCallersReading() {
        MutableClock clock = new MutableClock();
        AdaptiveCircuitBreaker breaker = AdaptiveCircuitBreaker.builder("clocked").clock(clock).build();
        breaker.onOutcome(null, CallOutcome.SUCCESS, MS, System.nanoTime() - ELEVEN_MINUTES, null);
        assertThat(breaker.snapshot().callsInWindow()).as("filed by the injected clock").isEqualTo(1);
        clock.advance(Duration.ofMinutes(11));
        assertThat(breaker.snapshot().callsInWindow()).isZero();
    }

    @Test
    void aDefaultHierarchyPathFilesEveryLevelByTheCallersReading() {
        BreakerHierarchy hierarchy = BreakerHierarchy.builder()
                .pathResolver(PathResolver.standard(Map.of("eu-1", "eu-west"), null)).build();
        ToolCall call = ToolCall.builder("web_search").endpointId("eu-1").serviceId("search").build();
        HierarchyPath path = hierarchy.pathFor(call);
        List<AdaptiveCircuitBreaker> levels = path.breakers();
        AdaptiveCircuitBreaker tool = levels.get(levels.size() - 1);
        AdaptiveCircuitBreaker service = levels.get(levels.size() - 2);
        path.onOutcome(call, CallOutcome.SUCCESS, MS, System.nanoTime() - ELEVEN_MINUTES, null);
        assertThat(tool.snapshot().callsInWindow()).isZero();
        assertThat(service.snapshot().callsInWindow()).isZero();
        hierarchy.onOutcome(call, CallOutcome.SUCCESS, MS, System.nanoTime(), null);
        path.onOutcome(call, CallOutcome.SUCCESS, MS, null);
        assertThat(tool.snapshot().callsInWindow()).isEqualTo(2);
        assertThat(service.snapshot().callsInWindow()).isEqualTo(2);
    }

    @Test
    void aDefaultBreakerInADefaultPipelineCountsEveryCall() {
        AdaptiveCircuitBreaker breaker = AdaptiveCircuitBreaker.ofDefaults("piped");
        ResiliencePipeline<String> pipeline = ResiliencePipeline.<String>builder("p").breaker(breaker).build();
        for (int i = 0; i < 25; i++) {
            pipeline.execute(() -> "ok");
        }
        assertThat(breaker.snapshot().callsInWindow()).isEqualTo(25);
        assertThat(breaker.state()).isEqualTo(BreakerState.CLOSED);
    }

    @Test
    void withoutAnInjectedClockStateTimesFollowTheMonotonicTickerNotTheWallClock() {
        AtomicLong nanos = new AtomicLong(5_000_000_000L);
        AdaptiveCircuitBreaker breaker = AdaptiveCircuitBreaker.builder("monotonic").ticker(nanos::get).build();
        breaker.transitionToOpen(Duration.ofSeconds(60), "test");
        nanos.addAndGet(Duration.ofSeconds(59).toNanos());
        breaker.tick();
        assertThat(breaker.state()).isEqualTo(BreakerState.OPEN);
        Instant until = ((io.qudag.resilience.core.breaker.internal.AdaptiveCircuitBreakerImpl) breaker).openUntil();
        assertThat(Duration.between(Instant.now(), until)).as("reported on the wall clock")
                .isBetween(Duration.ofMillis(500), Duration.ofMillis(1_500));
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        breaker.tick();
        assertThat(breaker.state()).as("60 s by the ticker, whatever the wall clock did").isEqualTo(BreakerState.HALF_OPEN);
    }
}
