package io.qudag.resilience.benchmarks.breaker;

import dev.failsafe.CircuitBreaker;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import io.qudag.resilience.core.CallOutcome;
import io.qudag.resilience.core.breaker.AdaptiveCircuitBreaker;
import io.qudag.resilience.core.breaker.CoarseTicker;
import io.qudag.resilience.core.pipeline.ResiliencePipeline;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The adaptive breaker (spec §3.1) timed on a 1 ms {@link CoarseTicker} versus
 * {@code System.nanoTime()}, beside Failsafe 3.3.2's count-based breaker, in one run:
 * <ul>
 *   <li>{@code manual*}: the caller acquires, times the call with two readings, and records a
 *       success with the duration (Failsafe: {@code tryAcquirePermit} then {@code recordSuccess});</li>
 *   <li>{@code pipeline*}: a pipeline with only that breaker (Failsafe: {@code Failsafe.with(breaker).get});</li>
 *   <li>{@code read*}: one reading of each time source;</li>
 *   <li>{@code floor*}: what any breaker that counts every success pays at least: one uncontended atomic
 *       increment ({@code floorAtomicIncrement}), and one uncontended monitor enter and exit
 *       ({@code floorMonitor}), which is what Failsafe's {@code recordSuccess} takes.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class CoarseTickerBenchmark {

    private final Supplier<String> call = () -> "ok";

    private CoarseTicker ticker;
    private AdaptiveCircuitBreaker precise;
    private AdaptiveCircuitBreaker coarse;
    private CircuitBreaker<String> failsafeBreaker;
    private FailsafeExecutor<String> failsafeWrapped;
    private ResiliencePipeline<String> pipelinePrecise;
    private ResiliencePipeline<String> pipelineCoarse;
    private final AtomicLong counter = new AtomicLong();
    private final Object monitor = new Object();
    private long guarded;

    @Setup
    public void setUp() {
        ticker = CoarseTicker.shared(Duration.ofMillis(1));
        precise = AdaptiveCircuitBreaker.ofDefaults("precise");
        coarse = AdaptiveCircuitBreaker.builder("coarse").ticker(ticker).build();
        failsafeBreaker = CircuitBreaker.ofDefaults();
        failsafeWrapped = Failsafe.with(CircuitBreaker.<String>ofDefaults());
        pipelinePrecise = ResiliencePipeline.<String>builder("precise")
                .breaker(AdaptiveCircuitBreaker.ofDefaults("pipeline-precise")).build();
        pipelineCoarse = ResiliencePipeline.<String>builder("coarse").nanoTime(ticker)
                .breaker(AdaptiveCircuitBreaker.builder("pipeline-coarse").ticker(ticker).build()).build();
    }

    @TearDown
    public void tearDown() {
        ticker.close();
    }

    @Benchmark
    public void manualPreciseTicker() {
        precise.acquirePermission(null);
        long start = System.nanoTime();
        long end = System.nanoTime();
        precise.onOutcome(null, CallOutcome.SUCCESS, end - start, end, null);
    }

    @Benchmark
    public void manualCoarseTicker() {
        coarse.acquirePermission(null);
        long start = ticker.getAsLong();
        long end = ticker.getAsLong();
        coarse.onOutcome(null, CallOutcome.SUCCESS, end - start, null);
    }

    @Benchmark
    public boolean manualFailsafeCountBreaker() {
        boolean permitted = failsafeBreaker.tryAcquirePermit();
        failsafeBreaker.recordSuccess();
        return permitted;
    }

    @Benchmark
    public String pipelinePreciseTicker() {
        return pipelinePrecise.execute(call);
    }

    @Benchmark
    public String pipelineCoarseTicker() {
        return pipelineCoarse.execute(call);
    }

    @Benchmark
    public String pipelineFailsafeCountBreaker() {
        return failsafeWrapped.get(call::get);
    }

    @Benchmark
    public long readSystemNanoTime() {
        return System.nanoTime();
    }

    @Benchmark
    public long readCoarseTicker() {
        return ticker.getAsLong();
    }

    @Benchmark
    public long floorAtomicIncrement() {
        return counter.incrementAndGet();
    }

    @Benchmark
    public long floorMonitor() {
        synchronized (monitor) {
            return ++guarded;
        }
    }
}
