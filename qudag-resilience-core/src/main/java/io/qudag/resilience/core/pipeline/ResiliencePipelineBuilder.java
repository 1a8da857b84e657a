package io.qudag.resilience.core.pipeline;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.micrometer.core.instrument.MeterRegistry;
import io.qudag.resilience.core.OutcomePolicy;
import io.qudag.resilience.core.Outcomes;
import io.qudag.resilience.core.fallback.Fallback;
import io.qudag.resilience.core.internal.Limits;
import io.qudag.resilience.core.pipeline.internal.DefaultCallWatchdog;
import io.qudag.resilience.core.pipeline.internal.DefaultResiliencePipeline;
import io.qudag.resilience.core.spi.Breaker;
import io.qudag.resilience.core.spi.CallInterceptor;
import io.qudag.resilience.core.spi.OutcomeClassifier;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.LongSupplier;

/**
 * Builds a {@link ResiliencePipeline}. Every layer is optional; {@link #build()} validates the lot
 * and fails with an {@link IllegalArgumentException} that names the field and the value.
 *
 * <p>Executors: a time limit on synchronous calls runs the call on {@link #executor} (unless it is
 * {@link #timeLimitOnCallerThread on the caller's thread}); asynchronous
 * time limits and async retry backoff use {@link #scheduler}. When not given, the pipeline creates
 * daemon threads of its own on first use.
 */
public final class ResiliencePipelineBuilder<R> {

    private final String name;
    private Fallback<R> fallback;
    private final List<Breaker> breakers = new ArrayList<>();
    private Bulkhead bulkhead;
    private Duration timeLimit;
    private TimeLimitMode timeLimitMode = TimeLimitMode.HAND_OVER;
    private CallWatchdog callWatchdog;
    private RetryPolicy retry;
    private OutcomeClassifier outcomeClassifier = Outcomes.defaultClassifier();
    private OutcomePolicy outcomePolicy = OutcomePolicy.defaults();
    private Clock clock = Clock.systemUTC();
    private LongSupplier nanoTime = ResiliencePipelineConfig.SYSTEM_NANO_TIME;
    private ExecutorService executor;
    private ScheduledExecutorService scheduler;
    private MeterRegistry meterRegistry;
    private final List<CallInterceptor<R>> interceptors = new ArrayList<>();

    ResiliencePipelineBuilder(String name) {
        this.name = name;
    }

    /**
     * The outermost layer: answers failures and rejections.
     *
     * @param fallback the fallback, or {@code null} for none (the default)
     * @return this builder
     */
    public ResiliencePipelineBuilder<R> fallback(Fallback<R> fallback) {
        this.fallback = fallback;
        return this;
    }

    /**
     * Adds a breaker; several are acquired in the order added and all learn every outcome.
     *
     * @param breaker the breaker; its name must differ from the others'
     * @return this builder
     */
    public ResiliencePipelineBuilder<R> breaker(Breaker breaker) {
        this.breakers.add(breaker);
        return this;
    }

    /**
     * A Resilience4j circuit breaker, handed in as it is (the same as {@code breaker(Breakers.of(circuitBreaker))}):
     * it counts the failures of {@code OutcomePolicy.defaults()}; use {@link Breakers#of(
     * io.github.resilience4j.circuitbreaker.CircuitBreaker, io.qudag.resilience.core.OutcomePolicy)} for another policy.
     *
     * @param circuitBreaker the Resilience4j breaker; non-null
     * @return this builder
     */
    public ResiliencePipelineBuilder<R> breaker(io.github.resilience4j.circuitbreaker.CircuitBreaker circuitBreaker) {
        if (circuitBreaker == null) {
            throw new IllegalArgumentException("circuitBreaker must not be null, was null");
        }
        return breaker(Breakers.of(circuitBreaker));
    }

    /**
     * Bounds concurrent calls, e.g. {@code IsolationBulkheads#bulkhead(IsolationClass)}.
     *
     * @param bulkhead the Resilience4j bulkhead, or {@code null} for none (the default)
     * @return this builder
     */
    public ResiliencePipelineBuilder<R> bulkhead(Bulkhead bulkhead) {
        this.bulkhead = bulkhead;
        return this;
    }

    /**
     * A deadline for the whole call, retries included; synchronous calls run on the {@link #executor}
     * ({@link TimeLimitMode#HAND_OVER}), so the caller gets its timeout at the deadline even when the
     * work ignores interrupts.
     *
     * @param timeLimit a positive duration, or {@code null} for no time limit (the default)
     * @return this builder
     */
    public ResiliencePipelineBuilder<R> timeLimit(Duration timeLimit) {
        this.timeLimit = timeLimit;
        this.timeLimitMode = TimeLimitMode.HAND_OVER;
        return this;
    }

    /**
     * A deadline for the whole call, retries included, with synchronous calls run on the caller's
     * thread and cut by a {@link CallWatchdog}'s interrupt ({@link TimeLimitMode#CALLER_THREAD}: no
     * thread hand-over, no allocation; prompt only for work that reacts to interrupts). Asynchronous
     * calls keep their scheduler deadline.
     *
     * <p>Nesting: a caller-thread call inside another one on the same thread (a pipeline calling
     * through another pipeline) runs under the earlier of the two deadlines. When the outer deadline
     * is the earlier one and fires, the inner call ends with a {@link CallTimeoutException} too and
     * leaves the interrupt for the outer pipeline to clear. A pipeline that is closed refuses calls with
     * a {@link io.qudag.resilience.core.RejectedCallException}; calls already running keep their
     * deadline (the watchdog ends only after the last one).
     *
     * @param timeLimit a positive duration, or {@code null} for no time limit (the default)
     * @return this builder
     */
    public ResiliencePipelineBuilder<R> timeLimitOnCallerThread(Duration timeLimit) {
        this.timeLimit = timeLimit;
        this.timeLimitMode = TimeLimitMode.CALLER_THREAD;
        return this;
    }

    /**
     * The watchdog of {@link #timeLimitOnCallerThread}; default {@link CallWatchdog#shared()}.
     *
     * @param callWatchdog the watchdog; non-null
     * @return this builder
     */
    public ResiliencePipelineBuilder<R> callWatchdog(CallWatchdog callWatchdog) {
        this.callWatchdog = callWatchdog;
        return this;
    }

    /**
     * Retries failed calls that are safe to repeat, inside the time limit; default none.
     *
     * @param retry the retry policy, or {@code null} for no retries
     * @return this builder
     */
    public ResiliencePipelineBuilder<R> retry(RetryPolicy retry) {
        this.retry = retry;
        return this;
    }

    /**
     * The former name of {@link #retry(RetryPolicy)}.
     *
     * @deprecated use {@link #retry(RetryPolicy)}; {@code RetryConfig} collided with Resilience4j's class of that name
     * @param retry the retry settings, or {@code null} for no retries
     * @return this builder
     */
    @Deprecated(since = "0.1.0", forRemoval = true)
    public ResiliencePipelineBuilder<R> retry(RetryConfig retry) {
        this.retry = retry == null ? null : retry.toPolicy();
        return this;
    }

    /**
     * How results and errors map to a {@link io.qudag.resilience.core.CallOutcome}; default
     * {@link io.qudag.resilience.core.Outcomes#defaultClassifier()}.
     *
     * @param outcomeClassifier the classifier; non-null
     * @return this builder
     */
    public ResiliencePipelineBuilder<R> outcomeClassifier(OutcomeClassifier outcomeClassifier) {
        this.outcomeClassifier = outcomeClassifier;
        return this;
    }

    /**
     * Which outcomes are failures and which are retryable; default {@link OutcomePolicy#defaults()}.
     *
     * @param outcomePolicy the policy; non-null
     * @return this builder
     */
    public ResiliencePipelineBuilder<R> outcomePolicy(OutcomePolicy outcomePolicy) {
        this.outcomePolicy = outcomePolicy;
        return this;
    }

    /**
     * Clock for event instants; default {@code Clock.systemUTC()}.
     *
     * @param clock the clock; non-null
     * @return this builder
     */
    public ResiliencePipelineBuilder<R> clock(Clock clock) {
        this.clock = clock;
        return this;
    }

    /**
     * The source of {@code System.nanoTime()}-style readings used to time calls. Default
     * {@link ResiliencePipelineConfig#SYSTEM_NANO_TIME}, whose end readings are handed to the breakers so
     * that they need not read the clock again; any other supplier (even a new {@code System::nanoTime})
     * turns that hand-over off.
     *
     * <p>To time calls and breakers without a clock read per call, pass a
     * {@link io.qudag.resilience.core.breaker.CoarseTicker} here and build the adaptive breakers with the
     * same ticker ({@code AdaptiveCircuitBreaker.Builder#ticker}): each reading is then one volatile
     * read, and durations (breaker slow-call checks, the duration meter) are accurate to the ticker's
     * resolution. Keep the default when a meter needs precise durations.
     *
     * @param nanoTime the reading source; non-null
     * @return this builder
     */
    public ResiliencePipelineBuilder<R> nanoTime(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        return this;
    }

    /**
     * Runs time-limited synchronous calls; default: the pipeline's own daemon threads, created on first use.
     * An executor given here is the caller's to shut down.
     *
     * @param executor the executor, or {@code null} for the pipeline's own
     * @return this builder
     */
    public ResiliencePipelineBuilder<R> executor(ExecutorService executor) {
        this.executor = executor;
        return this;
    }

    /**
     * Runs asynchronous deadlines and retry backoff; default: the pipeline's own daemon thread, created on
     * first use. A scheduler given here is the caller's to shut down.
     *
     * @param scheduler the scheduler, or {@code null} for the pipeline's own
     * @return this builder
     */
    public ResiliencePipelineBuilder<R> scheduler(ScheduledExecutorService scheduler) {
        this.scheduler = scheduler;
        return this;
    }

    /**
     * Registers {@code qudag.resilience.pipeline.*} meters here.
     *
     * @param meterRegistry the registry, or {@code null} for no meters (the default)
     * @return this builder
     */
    public ResiliencePipelineBuilder<R> meterRegistry(MeterRegistry meterRegistry) {
        this.meterRegistry = meterRegistry;
        return this;
    }

    /**
     * Adds a custom innermost stage (e.g. a fault injector); several run in the order added, the first outermost.
     *
     * @param interceptor the stage; non-null
     * @return this builder
     */
    public ResiliencePipelineBuilder<R> interceptor(CallInterceptor<R> interceptor) {
        this.interceptors.add(interceptor);
        return this;
    }

    /**
     * Validates every setting and builds the pipeline.
     *
     * @return the thread-safe pipeline
     * @throws IllegalArgumentException naming the field and the value when a setting is invalid
     */
    public ResiliencePipeline<R> build() {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank, was " + (name == null ? "null" : '"' + name + '"'));
        }
        Set<String> breakerNames = new HashSet<>();
        for (int i = 0; i < breakers.size(); i++) {
            Breaker b = breakers.get(i);
            if (b == null) {
                throw new IllegalArgumentException("breakers[" + i + "] must not be null");
            }
            if (!breakerNames.add(b.name())) {
                throw new IllegalArgumentException("breakers[" + i + "] repeats the name " + b.name());
            }
        }
        if (timeLimit != null && (timeLimit.isZero() || timeLimit.isNegative())) {
            throw new IllegalArgumentException("timeLimit must be positive, was " + timeLimit);
        }
        Limits.atMostMaxDuration("timeLimit", timeLimit);
        for (int i = 0; i < interceptors.size(); i++) {
            requireNonNull(interceptors.get(i), "interceptors[" + i + "]");
        }
        requireNonNull(outcomeClassifier, "outcomeClassifier");
        requireNonNull(outcomePolicy, "outcomePolicy");
        requireNonNull(clock, "clock");
        requireNonNull(nanoTime, "nanoTime");
        if (callWatchdog != null && !(callWatchdog instanceof DefaultCallWatchdog)) {
            throw new IllegalArgumentException("callWatchdog must come from CallWatchdog.shared() or CallWatchdog.create(..), was "
                    + callWatchdog.getClass().getName());
        }
        if (callWatchdog != null && timeLimitMode != TimeLimitMode.CALLER_THREAD) {
            throw new IllegalArgumentException("callWatchdog is used only with timeLimitOnCallerThread, was set with "
                    + (timeLimit == null ? "no time limit" : "timeLimit " + timeLimit + " in mode " + timeLimitMode));
        }
        TimeLimitMode mode = timeLimit == null ? TimeLimitMode.HAND_OVER : timeLimitMode;
        Optional<CallWatchdog> watchdog = mode == TimeLimitMode.CALLER_THREAD
                ? Optional.of(callWatchdog == null ? CallWatchdog.shared() : callWatchdog) : Optional.empty();
        ResiliencePipelineConfig<R> config = new ResiliencePipelineConfig<>(name, Optional.ofNullable(fallback),
                breakers, Optional.ofNullable(bulkhead), Optional.ofNullable(timeLimit), Optional.ofNullable(retry),
                outcomeClassifier, outcomePolicy, clock, nanoTime, Optional.ofNullable(executor),
                Optional.ofNullable(scheduler), Optional.ofNullable(meterRegistry), mode, watchdog, interceptors);
        return new DefaultResiliencePipeline<>(config);
    }

    private static void requireNonNull(Object value, String field) {
        if (value == null) {
            throw new IllegalArgumentException(field + " must not be null");
        }
    }
}
