package io.qudag.resilience.benchmarks.pipeline;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.qudag.resilience.core.ToolCall;
import io.qudag.resilience.core.ToolHints;
import io.qudag.resilience.core.breaker.AdaptiveCircuitBreaker;
import io.qudag.resilience.core.pipeline.Breakers;
import io.qudag.resilience.core.pipeline.ResiliencePipeline;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
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
 * The success path of a {@code ResiliencePipeline} (Resilience4j breaker + semaphore bulkhead)
 * against a bare Resilience4j breaker, in one run; and the same pipeline with the adaptive breaker
 * (spec §3.1) in the breaker slot instead of Resilience4j's. Run with {@code -prof gc} for B/op.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class PipelineBenchmark {

    private final Supplier<String> call = () -> "ok";
    private final Function<ToolCall, String> tool = c -> "ok";
    private final ToolCall toolCall = ToolCall.of("search", Map.of("q", "x"), ToolHints.READ_ONLY);

    private Supplier<String> bareBreaker;
    private Supplier<String> bareBreakerAndBulkhead;
    private ResiliencePipeline<String> pipeline;
    private ResiliencePipeline<String> pipelineAdaptive;
    private ResiliencePipeline<String> pipelineR4jOnly;
    private ResiliencePipeline<String> pipelineAdaptiveOnly;

    @Setup
    public void setUp() {
        CircuitBreakerConfig cbConfig = CircuitBreakerConfig.custom().slidingWindowSize(100).build();
        BulkheadConfig bhConfig = BulkheadConfig.custom().maxConcurrentCalls(1_000)
                .maxWaitDuration(Duration.ZERO).build();

        bareBreaker = CircuitBreaker.decorateSupplier(CircuitBreaker.of("bare", cbConfig), call);
        bareBreakerAndBulkhead = Bulkhead.decorateSupplier(Bulkhead.of("bare", bhConfig),
                CircuitBreaker.decorateSupplier(CircuitBreaker.of("bare2", cbConfig), call));
        pipeline = ResiliencePipeline.<String>builder("bench")
                .breaker(Breakers.of(CircuitBreaker.of("pipeline", cbConfig)))
                .bulkhead(Bulkhead.of("pipeline", bhConfig))
                .build();
        pipelineAdaptive = ResiliencePipeline.<String>builder("bench-adaptive")
                .breaker(AdaptiveCircuitBreaker.ofDefaults("pipeline-adaptive"))
                .bulkhead(Bulkhead.of("pipeline-adaptive", bhConfig))
                .build();
        pipelineR4jOnly = ResiliencePipeline.<String>builder("bench-r4j-only")
                .breaker(Breakers.of(CircuitBreaker.of("pipeline-r4j-only", cbConfig))).build();
        pipelineAdaptiveOnly = ResiliencePipeline.<String>builder("bench-adaptive-only")
                .breaker(AdaptiveCircuitBreaker.ofDefaults("pipeline-adaptive-only")).build();
    }

    @Benchmark
    public String resilience4jBreaker() {
        return bareBreaker.get();
    }

    @Benchmark
    public String resilience4jBreakerAndBulkhead() {
        return bareBreakerAndBulkhead.get();
    }

    @Benchmark
    public String pipelineBreakerAndBulkhead() {
        return pipeline.execute(call);
    }

    /** The pipeline with the adaptive breaker (defaults) where {@link #pipelineBreakerAndBulkhead} has Resilience4j's. */
    @Benchmark
    public String pipelineAdaptiveBreakerAndBulkhead() {
        return pipelineAdaptive.execute(call);
    }

    /** The pipeline with only a Resilience4j breaker (count-based window of 100). */
    @Benchmark
    public String pipelineResilience4jBreakerOnly() {
        return pipelineR4jOnly.execute(call);
    }

    /** The pipeline with only the adaptive breaker (defaults: 10-minute time-based window). */
    @Benchmark
    public String pipelineAdaptiveBreakerOnly() {
        return pipelineAdaptiveOnly.execute(call);
    }

    @Benchmark
    public String pipelineToolCallBreakerAndBulkhead() {
        return pipeline.executeToolCall(toolCall, tool);
    }
}
