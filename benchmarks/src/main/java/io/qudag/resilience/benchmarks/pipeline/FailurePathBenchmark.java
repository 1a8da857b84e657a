package io.qudag.resilience.benchmarks.pipeline;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.qudag.resilience.core.breaker.AdaptiveBreakerConfig;
import io.qudag.resilience.core.breaker.AdaptiveCircuitBreaker;
import io.qudag.resilience.core.pipeline.Breakers;
import io.qudag.resilience.core.pipeline.ResiliencePipeline;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * A failing call (a transport error, created once so that no benchmark pays for a stack trace) through
 * a breaker and a bulkhead, beside Resilience4j 2.4.0's decorators in one run. The breakers record every
 * failure in their windows but are configured never to reach their minimum number of calls, so every
 * call takes the failure path (not the rejection path).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class FailurePathBenchmark {

    private static final UncheckedIOException DOWN = new UncheckedIOException(new IOException("down"));

    private final Supplier<String> failing = () -> {
        throw DOWN;
    };

    private Supplier<String> resilience4j;
    private ResiliencePipeline<String> pipelineResilience4jBreaker;
    private ResiliencePipeline<String> pipelineAdaptiveBreaker;
    // created once, so that no row pays for a capturing lambda per call
    private Supplier<String> throughPipelineResilience4jBreaker;
    private Supplier<String> throughPipelineAdaptiveBreaker;

    @Setup
    public void setUp() {
        CircuitBreakerConfig cb = CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.TIME_BASED).slidingWindowSize(60)
                .minimumNumberOfCalls(Integer.MAX_VALUE).build();
        BulkheadConfig bh = BulkheadConfig.custom().maxConcurrentCalls(1_000).maxWaitDuration(Duration.ZERO).build();
        resilience4j = Bulkhead.decorateSupplier(Bulkhead.of("r4j", bh),
                CircuitBreaker.decorateSupplier(CircuitBreaker.of("r4j", cb), failing));
        pipelineResilience4jBreaker = ResiliencePipeline.<String>builder("r4j-breaker")
                .breaker(Breakers.of(CircuitBreaker.of("pipeline-r4j", cb))).bulkhead(Bulkhead.of("pipeline-r4j", bh))
                .build();
        pipelineAdaptiveBreaker = ResiliencePipeline.<String>builder("adaptive")
                .breaker(AdaptiveCircuitBreaker.builder("adaptive")
                        .config(AdaptiveBreakerConfig.builder().minimumNumberOfCalls(Integer.MAX_VALUE).build()).build())
                .bulkhead(Bulkhead.of("pipeline-adaptive", bh)).build();
        throughPipelineResilience4jBreaker = () -> pipelineResilience4jBreaker.execute(failing);
        throughPipelineAdaptiveBreaker = () -> pipelineAdaptiveBreaker.execute(failing);
    }

    private static Throwable run(Supplier<String> call) {
        try {
            call.get();
            throw new AssertionError("the call did not fail");
        } catch (UncheckedIOException expected) {
            return expected;
        }
    }

    @Benchmark
    public Throwable resilience4jBreakerAndBulkhead() {
        return run(resilience4j);
    }

    @Benchmark
    public Throwable pipelineResilience4jBreakerAndBulkhead() {
        return run(throughPipelineResilience4jBreaker);
    }

    @Benchmark
    public Throwable pipelineAdaptiveBreakerAndBulkhead() {
        return run(throughPipelineAdaptiveBreaker);
    }
}
