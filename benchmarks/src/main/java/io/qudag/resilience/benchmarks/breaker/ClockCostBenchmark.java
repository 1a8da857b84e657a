package io.qudag.resilience.benchmarks.breaker;

import io.qudag.resilience.core.CallOutcome;
import io.qudag.resilience.core.breaker.AdaptiveCircuitBreaker;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Control: what reading the clock costs on this machine, and the adaptive breaker with a clock that costs nothing. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ClockCostBenchmark {

    private final Clock system = Clock.systemUTC();
    private AdaptiveCircuitBreaker fixedClock;

    @Setup
    public void setUp() {
        fixedClock = AdaptiveCircuitBreaker.builder("fixed").clock(Clock.fixed(Instant.EPOCH, ZoneOffset.UTC)).build();
    }

    @Benchmark
    public long systemClockMillis() {
        return system.millis();
    }

    @Benchmark
    public long nanoTime() {
        return System.nanoTime();
    }

    @Benchmark
    public void adaptiveWithFixedClock() {
        fixedClock.acquirePermission(null);
        fixedClock.onOutcome(null, CallOutcome.SUCCESS, 1_000_000L, null);
    }
}
