package io.qudag.resilience.benchmarks.pipeline;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.Timeout;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.qudag.resilience.core.breaker.AdaptiveCircuitBreaker;
import io.qudag.resilience.core.pipeline.ResiliencePipeline;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
 * A 2 s time limit around a call that returns at once (spec §1.3, the per-class timeouts), beside Failsafe 3.3.2 and
 * Resilience4j 2.4.0 in one run:
 * <ul>
 *   <li>{@code stack*}: the pipeline with an adaptive breaker and a bulkhead, without a time limit,
 *       with the caller-thread limit, and with the hand-over default;</li>
 *   <li>{@code limitOnly*}: the time limit alone: the caller-thread limit, the hand-over, Failsafe's
 *       {@code Timeout}, Resilience4j's {@code TimeLimiter} over an executor;</li>
 *   <li>{@code async*}: the asynchronous time limit of each (an already completed stage).</li>
 * </ul>
 * Run with {@code -prof gc} for B/op.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class TimeLimitBenchmark {

    private static final Duration LIMIT = Duration.ofSeconds(2);

    private final Supplier<String> call = () -> "ok";
    private final Supplier<CompletionStage<String>> asyncCall = () -> CompletableFuture.completedFuture("ok");

    private ResiliencePipeline<String> stackNoLimit;
    private ResiliencePipeline<String> stackCallerThread;
    private ResiliencePipeline<String> stackHandOver;
    private ResiliencePipeline<String> callerThreadOnly;
    private ResiliencePipeline<String> handOverOnly;
    private ResiliencePipeline<String> asyncOnly;
    private FailsafeExecutor<String> failsafeTimeout;
    private TimeLimiter timeLimiter;
    private ExecutorService r4jExecutor;
    private ScheduledExecutorService r4jScheduler;

    @Setup
    public void setUp() {
        BulkheadConfig bh = BulkheadConfig.custom().maxConcurrentCalls(1_000).maxWaitDuration(Duration.ZERO).build();
        stackNoLimit = ResiliencePipeline.<String>builder("no-limit")
                .breaker(AdaptiveCircuitBreaker.ofDefaults("no-limit")).bulkhead(Bulkhead.of("no-limit", bh)).build();
        stackCallerThread = ResiliencePipeline.<String>builder("caller-thread")
                .breaker(AdaptiveCircuitBreaker.ofDefaults("caller-thread")).bulkhead(Bulkhead.of("caller-thread", bh))
                .timeLimitOnCallerThread(LIMIT).build();
        stackHandOver = ResiliencePipeline.<String>builder("hand-over")
                .breaker(AdaptiveCircuitBreaker.ofDefaults("hand-over")).bulkhead(Bulkhead.of("hand-over", bh))
                .timeLimit(LIMIT).build();
        callerThreadOnly = ResiliencePipeline.<String>builder("caller-thread-only").timeLimitOnCallerThread(LIMIT).build();
        handOverOnly = ResiliencePipeline.<String>builder("hand-over-only").timeLimit(LIMIT).build();
        asyncOnly = ResiliencePipeline.<String>builder("async-only").timeLimit(LIMIT).build();
        failsafeTimeout = Failsafe.with(Timeout.<String>of(LIMIT));
        timeLimiter = TimeLimiter.of(LIMIT);
        r4jExecutor = Executors.newCachedThreadPool(daemon("r4j-call"));
        r4jScheduler = Executors.newSingleThreadScheduledExecutor(daemon("r4j-timer"));
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    @TearDown
    public void tearDown() {
        for (ResiliencePipeline<String> p : java.util.List.of(stackNoLimit, stackCallerThread, stackHandOver,
                callerThreadOnly, handOverOnly, asyncOnly)) {
            p.close();
        }
        r4jExecutor.shutdownNow();
        r4jScheduler.shutdownNow();
    }

    @Benchmark
    public String stackNoLimit() {
        return stackNoLimit.execute(call);
    }

    @Benchmark
    public String stackCallerThreadLimit() {
        return stackCallerThread.execute(call);
    }

    @Benchmark
    public String stackHandOverLimit() {
        return stackHandOver.execute(call);
    }

    @Benchmark
    public String limitOnlyCallerThread() {
        return callerThreadOnly.execute(call);
    }

    @Benchmark
    public String limitOnlyHandOver() {
        return handOverOnly.execute(call);
    }

    @Benchmark
    public String limitOnlyFailsafeTimeout() {
        return failsafeTimeout.get(call::get);
    }

    @Benchmark
    public String limitOnlyResilience4jTimeLimiterOnExecutor() throws Exception {
        return timeLimiter.executeFutureSupplier(() -> r4jExecutor.submit(call::get));
    }

    @Benchmark
    public String asyncPipeline() {
        return asyncOnly.executeAsync(asyncCall).toCompletableFuture().join();
    }

    @Benchmark
    public String asyncFailsafeTimeout() {
        return failsafeTimeout.getStageAsync(asyncCall::get).join();
    }

    @Benchmark
    public String asyncResilience4jTimeLimiter() {
        return timeLimiter.executeCompletionStage(r4jScheduler, asyncCall).toCompletableFuture().join();
    }
}
