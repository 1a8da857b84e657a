package io.qudag.resilience.core.pipeline;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.micrometer.core.instrument.MeterRegistry;
import io.qudag.resilience.core.OutcomePolicy;
import io.qudag.resilience.core.fallback.Fallback;
import io.qudag.resilience.core.spi.Breaker;
import io.qudag.resilience.core.spi.CallInterceptor;
import io.qudag.resilience.core.spi.OutcomeClassifier;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.LongSupplier;

/**
 * The immutable configuration of a {@link ResiliencePipeline}, as validated by
 * {@link ResiliencePipelineBuilder#build()}. Absent layers are empty. {@link #timeLimitMode()} says
 * where a synchronous time-limited call runs; {@link #callWatchdog()} is present exactly when that is
 * {@link TimeLimitMode#CALLER_THREAD}.
 */
public record ResiliencePipelineConfig<R>(
        String name,
        Optional<Fallback<R>> fallback,
        List<Breaker> breakers,
        Optional<Bulkhead> bulkhead,
        Optional<Duration> timeLimit,
        Optional<RetryPolicy> retry,
        OutcomeClassifier outcomeClassifier,
        OutcomePolicy outcomePolicy,
        Clock clock,
        LongSupplier nanoTime,
        Optional<ExecutorService> executor,
        Optional<ScheduledExecutorService> scheduler,
        Optional<MeterRegistry> meterRegistry,
        TimeLimitMode timeLimitMode,
        Optional<CallWatchdog> callWatchdog,
        List<CallInterceptor<R>> interceptors) {

    /** The default {@link #nanoTime()}: {@code System.nanoTime()}. */
    public static final LongSupplier SYSTEM_NANO_TIME = System::nanoTime;

    /**
     * Copies the breaker and interceptor lists, so the configuration stays immutable.
     *
     * @param name the pipeline's name (meter tag and logs)
     * @param fallback the outermost layer, if any
     * @param breakers breakers, acquired in this order
     * @param bulkhead the concurrency limit, if any
     * @param timeLimit one deadline for the whole call, retries included, if any
     * @param retry the retry policy, if any
     * @param outcomeClassifier maps results and errors to outcomes
     * @param outcomePolicy which outcomes are failures and which are retryable
     * @param clock clock for event instants
     * @param nanoTime source of {@code System.nanoTime()}-style readings that time calls
     * @param executor runs time-limited synchronous calls; empty for the pipeline's own threads
     * @param scheduler runs async deadlines and retry backoff; empty for the pipeline's own thread
     * @param meterRegistry where the pipeline's meters go, if anywhere
     * @param timeLimitMode where a synchronous time-limited call runs
     * @param callWatchdog the watchdog of {@link TimeLimitMode#CALLER_THREAD}; present exactly in that mode
     * @param interceptors custom innermost stages, the first outermost
     */
    public ResiliencePipelineConfig {
        breakers = List.copyOf(breakers);
        interceptors = List.copyOf(interceptors);
    }

    /**
     * A configuration with the hand-over time limit and without interceptors.
     *
     * @param name the pipeline's name (meter tag and logs)
     * @param fallback the outermost layer, if any
     * @param breakers breakers, acquired in this order
     * @param bulkhead the concurrency limit, if any
     * @param timeLimit one deadline for the whole call, retries included, if any
     * @param retry the retry policy, if any
     * @param outcomeClassifier maps results and errors to outcomes
     * @param outcomePolicy which outcomes are failures and which are retryable
     * @param clock clock for event instants
     * @param nanoTime source of {@code System.nanoTime()}-style readings that time calls
     * @param executor runs time-limited synchronous calls; empty for the pipeline's own threads
     * @param scheduler runs async deadlines and retry backoff; empty for the pipeline's own thread
     * @param meterRegistry where the pipeline's meters go, if anywhere
     */
    public ResiliencePipelineConfig(String name, Optional<Fallback<R>> fallback, List<Breaker> breakers,
            Optional<Bulkhead> bulkhead, Optional<Duration> timeLimit, Optional<RetryPolicy> retry,
            OutcomeClassifier outcomeClassifier, OutcomePolicy outcomePolicy, Clock clock, LongSupplier nanoTime,
            Optional<ExecutorService> executor, Optional<ScheduledExecutorService> scheduler,
            Optional<MeterRegistry> meterRegistry) {
        this(name, fallback, breakers, bulkhead, timeLimit, retry, outcomeClassifier, outcomePolicy, clock, nanoTime,
                executor, scheduler, meterRegistry, TimeLimitMode.HAND_OVER, Optional.empty(), List.of());
    }

    /**
     * {@return whether calls are timed with {@link #SYSTEM_NANO_TIME}; only then are the pipeline's end readings
     * handed to the breakers ({@link Breaker#onOutcome(io.qudag.resilience.core.ToolCall,
     * io.qudag.resilience.core.CallOutcome, long, long, Throwable)})}
     */
    public boolean timesWithSystemNanoTime() {
        return nanoTime == SYSTEM_NANO_TIME;
    }
}
