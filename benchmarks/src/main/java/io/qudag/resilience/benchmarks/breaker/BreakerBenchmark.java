package io.qudag.resilience.benchmarks.breaker;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.qudag.resilience.core.CallOutcome;
import io.qudag.resilience.core.ToolCall;
import io.qudag.resilience.core.breaker.AdaptiveCircuitBreaker;
import io.qudag.resilience.core.breaker.CoarseClock;
import io.qudag.resilience.core.hierarchy.BreakerHierarchy;
import io.qudag.resilience.core.hierarchy.HierarchyPath;
import io.qudag.resilience.core.hierarchy.PathResolver;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The success path (acquire permission, record a successful outcome) of the adaptive breaker
 * (spec §3.1) and of a 5-level hierarchy path (spec §3.2) against Resilience4j's CircuitBreaker, in
 * the same run. Run with the GC profiler to see the allocation per call.
 *
 * <p>Inputs: Resilience4j's {@code onSuccess} takes the duration its caller measured; the adaptive
 * breaker's {@code onOutcome} takes that duration and the {@code System.nanoTime()} end reading it was
 * measured to (what the pipeline hands over), so neither reads a clock in the primitive benchmarks.
 * The {@code *Timed} benchmarks add the caller's two {@code System.nanoTime()} readings to both, the
 * way each is used around a real call; {@code adaptiveOwnClock} is the adaptive breaker given no
 * end reading, reading the time itself.
 * <pre>
 * java -jar benchmarks/target/qudag-resilience-benchmarks.jar 'breaker.BreakerBenchmark' -prof gc \
 *      -f 1 -wi 3 -i 5 -w 1s -r 1s -rf json -rff benchmarks/results/breaker-success-path.json
 * </pre>
 * Goal: adaptive no slower than Resilience4j and 0 B/op; the 5-level path under 2.5x one
 * Resilience4j breaker.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class BreakerBenchmark {

    private static final long DURATION_NANOS = 1_000_000L;

    /** A fixed end reading, as Resilience4j's benchmarks get a fixed duration. */
    private long endNanoTime;

    private AdaptiveCircuitBreaker adaptive;
    private AdaptiveCircuitBreaker adaptiveMetered;
    private CircuitBreaker r4jCountBased;
    private CircuitBreaker r4jTimeBased;
    private HierarchyPath fiveLevels;
    private BreakerHierarchy hierarchy;
    private ToolCall call;
    private ScheduledExecutorService scheduler;
    private CoarseClock coarseClock;
    private AdaptiveCircuitBreaker adaptiveCoarse;
    private HierarchyPath fiveLevelsCoarse;

    @Setup
    public void setUp() {
        endNanoTime = System.nanoTime();
        adaptive = AdaptiveCircuitBreaker.ofDefaults("adaptive");
        adaptiveMetered = AdaptiveCircuitBreaker.builder("adaptive-metered").meterRegistry(new SimpleMeterRegistry())
                .build();
        r4jCountBased = CircuitBreaker.ofDefaults("r4j-count");
        r4jTimeBased = CircuitBreaker.of("r4j-time", CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.TIME_BASED).slidingWindowSize(600).build());
        hierarchy = BreakerHierarchy.builder()
                .pathResolver(PathResolver.standard(Map.of("search-1", "eu-west"), null)).build();
        call = ToolCall.builder("web_search").endpointId("search-1").serviceId("search-mcp").build();
        fiveLevels = hierarchy.pathFor(call);
        if (fiveLevels.breakers().size() != 5) {
            throw new IllegalStateException("expected 5 levels, got " + fiveLevels.path());
        }
        scheduler = Executors.newSingleThreadScheduledExecutor();
        coarseClock = CoarseClock.start(Clock.systemUTC(), Duration.ofMillis(10), scheduler);
        adaptiveCoarse = AdaptiveCircuitBreaker.builder("adaptive-coarse").clock(coarseClock).build();
        fiveLevelsCoarse = BreakerHierarchy.builder().clock(coarseClock)
                .pathResolver(PathResolver.standard(Map.of("search-1", "eu-west"), null)).build().pathFor(call);
    }

    @TearDown
    public void tearDown() {
        coarseClock.close();
        scheduler.shutdownNow();
    }

    /** Resilience4j default breaker (count-based window of 100). */
    @Benchmark
    public void r4jCountBased() {
        r4jCountBased.acquirePermission();
        r4jCountBased.onSuccess(DURATION_NANOS, TimeUnit.NANOSECONDS);
    }

    /** Resilience4j with a time-based window of 600 s (like the adaptive breaker's 10 min). */
    @Benchmark
    public void r4jTimeBased() {
        r4jTimeBased.acquirePermission();
        r4jTimeBased.onSuccess(DURATION_NANOS, TimeUnit.NANOSECONDS);
    }

    /** Resilience4j default breaker around a call timed with two {@code System.nanoTime()} readings. */
    @Benchmark
    public void r4jCountBasedTimed() {
        r4jCountBased.acquirePermission();
        long start = System.nanoTime();
        long end = System.nanoTime();
        r4jCountBased.onSuccess(end - start, TimeUnit.NANOSECONDS);
    }

    /** Adaptive breaker, defaults, no meter registry, given the caller's end reading. */
    @Benchmark
    public void adaptive() {
        adaptive.acquirePermission(null);
        adaptive.onOutcome(null, CallOutcome.SUCCESS, DURATION_NANOS, endNanoTime, null);
    }

    /** Adaptive breaker, defaults, around a call timed with two {@code System.nanoTime()} readings. */
    @Benchmark
    public void adaptiveTimed() {
        adaptive.acquirePermission(null);
        long start = System.nanoTime();
        long end = System.nanoTime();
        adaptive.onOutcome(null, CallOutcome.SUCCESS, end - start, end, null);
    }

    /** Adaptive breaker, defaults, given no end reading: it reads the time itself. */
    @Benchmark
    public void adaptiveOwnClock() {
        adaptive.acquirePermission(null);
        adaptive.onOutcome(null, CallOutcome.SUCCESS, DURATION_NANOS, null);
    }

    /** Adaptive breaker counting calls in a Micrometer SimpleMeterRegistry. */
    @Benchmark
    public void adaptiveMetered() {
        adaptiveMetered.acquirePermission(null);
        adaptiveMetered.onOutcome(null, CallOutcome.SUCCESS, DURATION_NANOS, endNanoTime, null);
    }

    /** Adaptive breaker reading a {@link CoarseClock} (10 ms resolution) instead of the system clock. */
    @Benchmark
    public void adaptiveCoarseClock() {
        adaptiveCoarse.acquirePermission(null);
        adaptiveCoarse.onOutcome(null, CallOutcome.SUCCESS, DURATION_NANOS, null);
    }

    /** A resolved 5-level hierarchy path with a {@link CoarseClock}. */
    @Benchmark
    public void hierarchyPath5CoarseClock() {
        fiveLevelsCoarse.acquirePermission(call);
        fiveLevelsCoarse.onOutcome(call, CallOutcome.SUCCESS, DURATION_NANOS, null);
    }

    /** A resolved 5-level hierarchy path (global/region/infra/service/tool), given the caller's end reading. */
    @Benchmark
    public void hierarchyPath5() {
        fiveLevels.acquirePermission(call);
        fiveLevels.onOutcome(call, CallOutcome.SUCCESS, DURATION_NANOS, endNanoTime, null);
    }

    /** The 5-level path around a call timed with two {@code System.nanoTime()} readings. */
    @Benchmark
    public void hierarchyPath5Timed() {
        fiveLevels.acquirePermission(call);
        long start = System.nanoTime();
        long end = System.nanoTime();
        fiveLevels.onOutcome(call, CallOutcome.SUCCESS, end - start, end, null);
    }

    /** The 5-level path given no end reading: it reads the time once for all levels. */
    @Benchmark
    public void hierarchyPath5OwnClock() {
        fiveLevels.acquirePermission(call);
        fiveLevels.onOutcome(call, CallOutcome.SUCCESS, DURATION_NANOS, null);
    }

    /** The hierarchy as a pipeline breaker: routes the ToolCall to its 5-level path on every call. */
    @Benchmark
    public void hierarchyRouted5() {
        hierarchy.acquirePermission(call);
        hierarchy.onOutcome(call, CallOutcome.SUCCESS, DURATION_NANOS, endNanoTime, null);
    }
}
