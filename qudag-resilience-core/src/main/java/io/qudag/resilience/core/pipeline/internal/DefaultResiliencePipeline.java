package io.qudag.resilience.core.pipeline.internal;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.qudag.resilience.core.CallOutcome;
import io.qudag.resilience.core.OutcomePolicy;
import io.qudag.resilience.core.Outcomes;
import io.qudag.resilience.core.RejectedCallException;
import io.qudag.resilience.core.ToolCall;
import io.qudag.resilience.core.bulkhead.BulkheadRejectedException;
import io.qudag.resilience.core.fallback.Fallback;
import io.qudag.resilience.core.pipeline.CallTimeoutException;
import io.qudag.resilience.core.pipeline.ResiliencePipeline;
import io.qudag.resilience.core.pipeline.ResiliencePipelineConfig;
import io.qudag.resilience.core.pipeline.RetryPolicy;
import io.qudag.resilience.core.spi.Breaker;
import io.qudag.resilience.core.spi.CallInterceptor;
import io.qudag.resilience.core.spi.OutcomeClassifier;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline: fallback › breakers › bulkhead › time limit › retry › call. The synchronous success
 * path without time limit and retry creates no objects of its own.
 */
public final class DefaultResiliencePipeline<R> implements ResiliencePipeline<R> {

    private static final Logger LOG = LoggerFactory.getLogger(DefaultResiliencePipeline.class);

    private static final int SUPPLIER = 0;
    private static final int CALLABLE = 1;
    private static final int FUNCTION = 2;

    private final ResiliencePipelineConfig<R> config;
    private final String name;
    private final Fallback<R> fallback;
    private final Breaker[] breakers;
    private final Bulkhead bulkhead;
    private final Duration timeLimit;
    private final long timeLimitNanos;
    /** Set when synchronous time-limited calls run on the caller's thread. */
    private final DefaultCallWatchdog watchdog;
    private boolean watchdogReleased;
    private final RetryPolicy retryConfig;
    private final Retry retry;
    private final IntervalFunction backoff;
    private final OutcomeClassifier classifier;
    private final OutcomePolicy policy;
    private final LongSupplier nanoTime;
    /** Whether {@link #nanoTime} readings are {@code System.nanoTime()}, which breakers may use as end times. */
    private final boolean systemNanoTime;
    private final PipelineMeters meters;
    private final CallInterceptor<R>[] interceptors;
    /** The only interceptor when there is exactly one: the common case (one chaos injector) skips the loops. */
    private final CallInterceptor<R> soleInterceptor;

    private volatile ExecutorService executor;
    private volatile ScheduledExecutorService scheduler;
    private final boolean ownsExecutor;
    private final boolean ownsScheduler;
    private volatile boolean closed;

    public DefaultResiliencePipeline(ResiliencePipelineConfig<R> config) {
        this.config = config;
        this.name = config.name();
        this.fallback = config.fallback().orElse(null);
        this.breakers = config.breakers().toArray(new Breaker[0]);
        this.bulkhead = config.bulkhead().orElse(null);
        this.timeLimit = config.timeLimit().orElse(null);
        this.timeLimitNanos = timeLimit == null ? 0 : timeLimit.toNanos();
        this.watchdog = (DefaultCallWatchdog) config.callWatchdog().orElse(null);
        if (watchdog != null) {
            watchdog.acquire(timeLimitNanos);
        }
        this.retryConfig = config.retry().orElse(null);
        this.classifier = config.outcomeClassifier();
        this.policy = config.outcomePolicy();
        this.nanoTime = config.nanoTime();
        this.systemNanoTime = config.timesWithSystemNanoTime();
        this.meters = PipelineMeters.create(config.meterRegistry().orElse(null), name);
        this.executor = config.executor().orElse(null);
        this.scheduler = config.scheduler().orElse(null);
        this.ownsExecutor = executor == null;
        this.ownsScheduler = scheduler == null;
        this.backoff = retryConfig == null ? null : IntervalFunction.ofExponentialRandomBackoff(
                retryConfig.initialBackoff(), retryConfig.multiplier(), retryConfig.jitter(), retryConfig.maxBackoff());
        this.retry = retryConfig == null ? null : createRetry();
        @SuppressWarnings("unchecked")
        CallInterceptor<R>[] stages = config.interceptors().toArray(new CallInterceptor[0]);
        this.interceptors = stages;
        this.soleInterceptor = stages.length == 1 ? stages[0] : null;
    }

    private Retry createRetry() {
        io.github.resilience4j.retry.RetryConfig r4j = io.github.resilience4j.retry.RetryConfig.<R>custom()
                .maxAttempts(retryConfig.maxAttempts())
                .intervalFunction(backoff)
                .retryOnException(t -> policy.isRetryable(classifier.classify(null, Outcomes.unwrap(t))))
                .retryOnResult(r -> policy.isRetryable(classifier.classify(r, null)))
                .build();
        Retry r = Retry.of(name, r4j);
        r.getEventPublisher().onRetry(e -> {
            if (meters != null) {
                meters.retried();
            }
            LOG.debug("pipeline {}: attempt {} failed, retrying in {}", name, e.getNumberOfRetryAttempts(),
                    e.getWaitInterval());
        });
        return r;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ResiliencePipelineConfig<R> config() {
        return config;
    }

    // ---------------------------------------------------------------- synchronous

    @Override
    public R execute(Supplier<R> call) {
        requireCall(call);
        return run(null, call, SUPPLIER);
    }

    @Override
    public R executeCallable(Callable<R> call) throws Exception {
        requireCall(call);
        return run(null, call, CALLABLE);
    }

    @Override
    public R executeToolCall(ToolCall call, Function<ToolCall, R> invoker) {
        requireCall(call);
        if (invoker == null) {
            throw new IllegalArgumentException("invoker must not be null, was null");
        }
        return run(call, invoker, FUNCTION);
    }

    private static void requireCall(Object call) {
        if (call == null) {
            throw new IllegalArgumentException("call must not be null, was null");
        }
    }

    /**
     * The synchronous call. Each call is classified once: the breakers, the meters and the fallback
     * all see that one verdict, and the error is unwrapped once.
     */
    private R run(ToolCall call, Object target, int kind) {
        long start = meters == null ? 0L : nanoTime.getAsLong();
        long began;
        try {
            admit(call);
            began = breakers.length == 0 ? 0L : nanoTime.getAsLong();
        } catch (Throwable refusal) {
            Throwable error = Outcomes.unwrap(refusal);
            CallOutcome outcome = classify(null, error);
            recordMeters(outcome, start);
            return fallBack(call, outcome, error);
        }
        R result = null;
        Throwable error = null;
        try {
            if (timeLimit == null) {
                result = attemptsHoldingPermit(call, target, kind);
            } else if (watchdog != null) {
                result = onCallerThread(call, target, kind, breakers.length != 0 && systemNanoTime ? began : System.nanoTime());
            } else {
                result = limited(executor, call, target, kind);
            }
        } catch (Throwable t) {
            error = Outcomes.unwrap(t);
        }
        if (breakers.length != 0) {
            CallOutcome outcome = classify(result, error);
            try {
                recordOutcome(call, outcome, error, began, nanoTime.getAsLong());
            } catch (RuntimeException broken) {
                // a breaker's bug must not replace the call's own result or error
                LOG.warn("pipeline {}: a breaker failed to record an outcome", name, broken);
            }
            return settle(call, result, error, outcome, start);
        }
        if (error != null || meters != null || fallback != null) {
            return settle(call, result, error, classify(result, error), start);
        }
        return result;
    }

    /** Meters, then the fallback for an error or the fallback's memory of a success. */
    private R settle(ToolCall call, R result, Throwable error, CallOutcome outcome, long start) {
        recordMeters(outcome, start);
        if (error != null) {
            return fallBack(call, outcome, error);
        }
        if (outcome == CallOutcome.SUCCESS) {
            rememberSuccess(call, result);
        }
        return result;
    }

    /**
     * Refuses a call on a closed pipeline that needs its threads (before anything is acquired or run),
     * then acquires the breakers and the bulkhead.
     */
    private void admit(ToolCall call) {
        if (timeLimit != null) {
            if (watchdog == null) {
                executor();
            } else if (closed) {
                throw refused(new RejectedExecutionException("it is closed"));
            }
        }
        acquireBreakers(call);
        acquireBulkhead(call);
    }

    /** The classifier's verdict; a classifier that throws is a bug that must not fail the call. */
    private CallOutcome classify(R result, Throwable error) {
        try {
            return classifier.classify(result, error);
        } catch (RuntimeException broken) {
            LOG.warn("pipeline {}: the outcome classifier failed", name, broken);
            return error == null ? CallOutcome.SUCCESS : CallOutcome.SERVER_ERROR;
        }
    }

    private void recordMeters(CallOutcome outcome, long start) {
        if (meters != null) {
            try {
                meters.record(outcome, nanoTime.getAsLong() - start);
            } catch (RuntimeException broken) {
                LOG.warn("pipeline {}: recording meters failed", name, broken);
            }
        }
    }

    private void countFallback() {
        if (meters != null) {
            try {
                meters.fellBack();
            } catch (RuntimeException broken) {
                LOG.warn("pipeline {}: recording meters failed", name, broken);
            }
        }
    }

    private void rememberSuccess(ToolCall call, R result) {
        if (fallback != null) {
            try {
                fallback.onSuccess(call, result);
            } catch (RuntimeException broken) {
                LOG.warn("pipeline {}: the fallback's onSuccess failed; the result is returned", name, broken);
            }
        }
    }

    /**
     * Runs the attempts on this thread under the watchdog: arm the thread's slot, run, disarm. A slot
     * that fired means the watchdog interrupted this thread; disarming cleared that interrupt (and only
     * that one), and the call's result or error is discarded as a timeout. Inside an enclosing
     * caller-thread call the earlier deadline rules: an earlier outer one is left armed (and its
     * interrupt for its own pipeline to clear), a later one is suspended and re-armed afterwards.
     */
    private R onCallerThread(ToolCall call, Object target, int kind, long now) throws Throwable {
        DefaultCallWatchdog.Slot slot = watchdog.slot();
        long deadline = now + timeLimitNanos;
        long outerDeadline = 0L;
        boolean nested = slot.isArmed();
        if (nested) {
            outerDeadline = slot.deadline();
            if (outerDeadline - deadline <= 0 || !slot.suspend()) {
                R result = null;
                Throwable error = null;
                try {
                    result = attemptsHoldingPermit(call, target, kind);
                } catch (Throwable t) {
                    error = t;
                }
                if (slot.hasFired()) {
                    throw new CallTimeoutException(name, timeLimit); // cut by the enclosing deadline
                }
                if (error != null) {
                    throw error;
                }
                return result;
            }
        }
        slot.arm(deadline);
        R result = null;
        Throwable error = null;
        try {
            result = attemptsHoldingPermit(call, target, kind);
        } catch (Throwable t) {
            error = t;
        }
        boolean fired = slot.disarm();
        if (nested) {
            slot.arm(outerDeadline);
        }
        if (fired) {
            LOG.debug("pipeline {}: call interrupted at its time limit of {}", name, timeLimit);
            throw new CallTimeoutException(name, timeLimit);
        }
        if (error != null) {
            throw error;
        }
        return result;
    }

    private R attemptsHoldingPermit(ToolCall call, Object target, int kind) throws Exception {
        try {
            return attempts(call, target, kind);
        } finally {
            releaseBulkhead();
        }
    }

    /**
     * Runs the attempts on the executor and waits at most the time limit. The bulkhead permit goes
     * back when the work really ends: a task cut by the deadline keeps it until its thread finishes
     * (so a tool that ignores interrupts cannot push the class past its limit); a task that never
     * started gives it back at once.
     */
    private R limited(ExecutorService runner, ToolCall call, Object target, int kind) throws Throwable {
        HandOver task = new HandOver(call, target, kind);
        try {
            runner.execute(task);
        } catch (RejectedExecutionException e) {
            releaseBulkhead();
            throw refused(e); // REJECTED: no verdict on the dependency
        }
        return task.await();
    }

    private RejectedCallException refused(RejectedExecutionException e) {
        return new RejectedCallException(name, "pipeline '" + name + "' could not run the call: " + e.getMessage());
    }

    /**
     * One synchronous call handed to the executor: the task, its result and the caller's wait in one
     * object (where a {@code FutureTask}, a {@code CompletableFuture}, a flag and a lambda would be
     * four). States: NEW, then RUNNING (the executor took it) or ABANDONED (the caller gave up first and
     * gave the permit back); RUNNING ends in DONE, or the caller interrupts it (INTERRUPTING, then
     * INTERRUPTED) and the runner clears that interrupt before its thread returns to the pool.
     */
    private final class HandOver implements Runnable {
        private static final int NEW = 0;
        private static final int RUNNING = 1;
        private static final int DONE = 2;
        private static final int ABANDONED = 3;
        private static final int INTERRUPTING = 4;
        private static final int INTERRUPTED = 5;
        /** Spins before the caller parks: a call that returns at once then costs no wake-up of the caller. */
        private static final int SPINS = 128;

        private final ToolCall call;
        private final Object target;
        private final int kind;
        private static final VarHandle STATE;

        static {
            try {
                STATE = MethodHandles.lookup().findVarHandle(DefaultResiliencePipeline.HandOver.class, "state", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private volatile int state;
        /** Published by the compare-and-set to RUNNING. */
        private Thread runner;
        /** Set only while the caller parks, so a runner that finishes first unparks no one. */
        private volatile Thread waiter;
        private R result;
        private Throwable error;

        HandOver(ToolCall call, Object target, int kind) {
            this.call = call;
            this.target = target;
            this.kind = kind;
        }

        @Override
        public void run() {
            runner = Thread.currentThread();
            if (!STATE.compareAndSet(this, NEW, RUNNING)) {
                return; // abandoned before it started; the caller already gave the permit back
            }
            try {
                result = attempts(call, target, kind);
            } catch (Throwable t) {
                error = t;
            } finally {
                releaseBulkhead();
            }
            if (STATE.compareAndSet(this, RUNNING, DONE)) {
                Thread w = waiter;
                if (w != null) {
                    LockSupport.unpark(w);
                }
                return;
            }
            while (state != INTERRUPTED) {
                Thread.onSpinWait(); // the caller is between its compare-and-set and the interrupt
            }
            Thread.interrupted(); // the cancel was for this call, not for the pool's next task
        }

        R await() throws Throwable {
            long deadline = System.nanoTime() + timeLimitNanos;
            for (int i = 0; i < SPINS && state != DONE; i++) {
                Thread.onSpinWait();
            }
            for (;;) {
                if (state == DONE) {
                    return answer();
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    if (abandon()) {
                        return answer(); // it finished as the deadline passed
                    }
                    throw new CallTimeoutException(name, timeLimit);
                }
                if (Thread.interrupted()) {
                    if (abandon()) {
                        Thread.currentThread().interrupt();
                        return answer();
                    }
                    Thread.currentThread().interrupt();
                    CancellationException given = new CancellationException(
                            "interrupted while waiting for a call of pipeline '" + name + "'");
                    given.initCause(new InterruptedException());
                    throw given;
                }
                waiter = Thread.currentThread();
                if (state != DONE) {
                    LockSupport.parkNanos(this, left);
                }
                waiter = null;
            }
        }

        /** Gives up on the call; true when it had already finished (its answer stands). */
        private boolean abandon() {
            if (STATE.compareAndSet(this, NEW, ABANDONED)) {
                releaseBulkhead(); // it never started and never will
                return false;
            }
            if (STATE.compareAndSet(this, RUNNING, INTERRUPTING)) {
                try {
                    runner.interrupt();
                } finally {
                    state = INTERRUPTED;
                }
                return false;
            }
            return state == DONE;
        }

        private R answer() throws Throwable {
            if (error != null) {
                throw error;
            }
            return result;
        }
    }

    private void releaseBulkhead() {
        if (bulkhead != null) {
            bulkhead.onComplete();
        }
    }

    private R attempts(ToolCall call, Object target, int kind) throws Exception {
        if (retry == null || !safeToRepeat(call)) {
            return invoke(call, target, kind);
        }
        return retry.executeCallable(() -> invoke(call, target, kind));
    }

    private R invoke(ToolCall call, Object target, int kind) throws Exception {
        if (soleInterceptor != null) {
            R early = soleInterceptor.beforeAttempt(call);
            return soleInterceptor.afterAttempt(call, early != null ? early : invokeTarget(call, target, kind));
        }
        return interceptors.length == 0 ? invokeTarget(call, target, kind) : intercepted(call, target, kind);
    }

    /** The interceptors around one attempt: before in order, after in reverse; a non-null before-result answers. */
    private R intercepted(ToolCall call, Object target, int kind) throws Exception {
        int ran = 0;
        R result = null;
        while (ran < interceptors.length && result == null) {
            result = interceptors[ran++].beforeAttempt(call);
        }
        if (result == null) {
            result = invokeTarget(call, target, kind);
        }
        while (ran > 0) {
            result = interceptors[--ran].afterAttempt(call, result);
        }
        return result;
    }

    @SuppressWarnings("unchecked")
    private R invokeTarget(ToolCall call, Object target, int kind) throws Exception {
        switch (kind) {
            case SUPPLIER:
                return ((Supplier<R>) target).get();
            case CALLABLE:
                return ((Callable<R>) target).call();
            default:
                return ((Function<ToolCall, R>) target).apply(call);
        }
    }

    private R fallBack(ToolCall call, CallOutcome outcome, Throwable error) {
        if (fallback == null) {
            throw Sneaky.rethrow(error);
        }
        R answer;
        try {
            answer = fallback.apply(call, outcome, error);
        } catch (Throwable declined) {
            throw Sneaky.rethrow(declined);
        }
        countFallback();
        LOG.debug("pipeline {}: {} answered by fallback", name, outcome);
        return answer;
    }

    // ---------------------------------------------------------------- asynchronous

    @Override
    public CompletionStage<R> executeAsync(Supplier<? extends CompletionStage<R>> call) {
        requireCall(call);
        return runAsync(null, call, SUPPLIER);
    }

    @Override
    public CompletionStage<R> executeToolCallAsync(ToolCall call,
            Function<ToolCall, ? extends CompletionStage<R>> invoker) {
        requireCall(call);
        if (invoker == null) {
            throw new IllegalArgumentException("invoker must not be null, was null");
        }
        return runAsync(call, invoker, FUNCTION);
    }

    private CompletableFuture<R> runAsync(ToolCall call, Object target, int kind) {
        long start = nanoTime.getAsLong();
        CancelsUpstream<R> answer = new CancelsUpstream<>();
        CompletableFuture<R> guarded;
        try {
            guarded = guardedAsync(call, target, kind);
        } catch (Throwable t) {
            guarded = CompletableFuture.failedFuture(t);
        }
        CompletableFuture<R> work = guarded;
        answer.upstream(work); // the caller gave up: stop the work and give its permits back
        work.whenComplete((result, t) -> {
            Throwable error = t == null ? null : Outcomes.unwrap(t);
            CallOutcome outcome = classify(result, error);
            recordMeters(outcome, start);
            if (error == null) {
                if (outcome == CallOutcome.SUCCESS) {
                    rememberSuccess(call, result);
                }
                answer.complete(result);
            } else if (fallback == null) {
                answer.completeExceptionally(error);
            } else {
                R fallbackAnswer;
                try {
                    fallbackAnswer = fallback.apply(call, outcome, error);
                } catch (Throwable declined) {
                    answer.completeExceptionally(declined);
                    return;
                }
                countFallback();
                answer.complete(fallbackAnswer);
            }
        });
        return answer;
    }

    private CompletableFuture<R> guardedAsync(ToolCall call, Object target, int kind) {
        // a closed pipeline refuses before anything runs (a call that ran must not be reported as refused)
        ScheduledExecutorService timers = timeLimit == null ? null : scheduler();
        acquireBreakers(call);
        acquireBulkhead(call);
        long began = nanoTime.getAsLong();
        CompletableFuture<R> attempt = null;
        CompletableFuture<R> observed;
        try {
            attempt = attemptsAsync(call, target, kind);
            if (bulkhead != null) {
                attempt.whenComplete((r, t) -> bulkhead.onComplete()); // when the work ends, not at the deadline
            }
            observed = timeLimit == null ? attempt : withDeadline(attempt, timers);
        } catch (Throwable t) {
            if (attempt == null) {
                releaseBulkhead();
            } else {
                attempt.cancel(true); // completes it, which gives the permit back
            }
            observed = CompletableFuture.failedFuture(t);
        }
        CancelsUpstream<R> done = new CancelsUpstream<>();
        done.upstream(attempt); // completes it: the permit goes back, the breakers hear REJECTED
        observed.whenComplete((result, t) -> {
            Throwable error = t == null ? null : Outcomes.unwrap(t);
            try {
                recordOutcome(call, result, error, began, nanoTime.getAsLong());
            } catch (Throwable broken) {
                LOG.warn("pipeline {}: a breaker failed to record an outcome", name, broken);
            } finally {
                if (error == null) {
                    done.complete(result);
                } else {
                    done.completeExceptionally(error);
                }
            }
        });
        return done;
    }

    private CompletableFuture<R> attemptsAsync(ToolCall call, Object target, int kind) {
        if (retryConfig == null || !safeToRepeat(call)) {
            return invokeAsync(call, target, kind).toCompletableFuture();
        }
        AsyncAttempts attempts = new AsyncAttempts(call, target, kind);
        attempts.run(1);
        return attempts.result;
    }

    /**
     * The async retry loop: Resilience4j's backoff ({@link IntervalFunction}) and the pipeline's
     * outcome policy, on the pipeline's scheduler. It stops when the result is completed from
     * outside (the deadline cancelled it), cancels the attempt in flight then, and completes with the
     * last outcome when the scheduler refuses the wait instead of hanging.
     */
    private final class AsyncAttempts {
        final CompletableFuture<R> result = new CompletableFuture<>();
        final ToolCall call;
        final Object target;
        final int kind;
        volatile CompletableFuture<R> current;

        AsyncAttempts(ToolCall call, Object target, int kind) {
            this.call = call;
            this.target = target;
            this.kind = kind;
            result.whenComplete((r, t) -> {
                CompletableFuture<R> inFlight = current;
                if (result.isCancelled() && inFlight != null) {
                    inFlight.cancel(true);
                }
            });
        }

        /** The outcome of the last attempt, for a retry that the pipeline's close() cancels. */
        volatile R lastResult;
        volatile Throwable lastError;

        void run(int attempt) {
            if (result.isDone()) {
                return;
            }
            if (closed && attempt > 1) {
                complete(lastResult, lastError); // closed during the backoff: no new attempt
                return;
            }
            CompletableFuture<R> stage = invokeAsync(call, target, kind).toCompletableFuture();
            current = stage;
            stage.whenComplete((r, t) -> {
                Throwable error = t == null ? null : Outcomes.unwrap(t);
                boolean again;
                try {
                    again = attempt < retryConfig.maxAttempts() && !result.isDone()
                            && policy.isRetryable(classifier.classify(r, error));
                } catch (Throwable broken) {
                    again = false;
                }
                if (!again) {
                    complete(r, error);
                    return;
                }
                lastResult = r;
                lastError = error;
                try {
                    long waitMillis = backoff.apply(attempt);
                    scheduler().schedule(() -> run(attempt + 1), waitMillis, TimeUnit.MILLISECONDS);
                    if (meters != null) {
                        meters.retried();
                    }
                    LOG.debug("pipeline {}: attempt {} failed, retrying in {} ms", name, attempt, waitMillis);
                } catch (RuntimeException cannotWait) {
                    complete(r, error);
                }
            });
        }

        private void complete(R r, Throwable error) {
            if (error == null) {
                result.complete(r);
            } else {
                result.completeExceptionally(error);
            }
        }
    }

    private CompletionStage<R> invokeAsync(ToolCall call, Object target, int kind) {
        if (interceptors.length == 0) {
            return invokeTargetAsync(call, target, kind);
        }
        Supplier<CompletionStage<R>> stage = () -> invokeTargetAsync(call, target, kind);
        for (int i = interceptors.length - 1; i >= 0; i--) {
            CallInterceptor<R> interceptor = interceptors[i];
            Supplier<CompletionStage<R>> inner = stage;
            stage = () -> {
                try {
                    CompletionStage<R> s = interceptor.interceptAsync(call, inner);
                    return s != null ? s : CompletableFuture.failedFuture(
                            new IllegalStateException("an interceptor returned a null CompletionStage"));
                } catch (Throwable t) {
                    return CompletableFuture.failedFuture(t);
                }
            };
        }
        return stage.get();
    }

    @SuppressWarnings("unchecked")
    private CompletionStage<R> invokeTargetAsync(ToolCall call, Object target, int kind) {
        try {
            CompletionStage<R> stage = kind == SUPPLIER
                    ? ((Supplier<? extends CompletionStage<R>>) target).get()
                    : ((Function<ToolCall, ? extends CompletionStage<R>>) target).apply(call);
            if (stage == null) {
                return CompletableFuture.failedFuture(
                        new IllegalStateException("the call returned a null CompletionStage"));
            }
            return stage;
        } catch (Throwable t) {
            return CompletableFuture.failedFuture(t);
        }
    }

    private CompletableFuture<R> withDeadline(CompletableFuture<R> attempt, ScheduledExecutorService timers) {
        if (attempt.isDone()) {
            return attempt; // answered before any deadline could pass: no timer to arm and cancel
        }
        CompletableFuture<R> result = new CompletableFuture<>();
        ScheduledFuture<?> timer = timers.schedule(() -> {
            if (result.completeExceptionally(new CallTimeoutException(name, timeLimit))) {
                attempt.cancel(true);
            }
        }, timeLimitNanos, TimeUnit.NANOSECONDS);
        attempt.whenComplete((r, t) -> {
            timer.cancel(false);
            if (t == null) {
                result.complete(r);
            } else {
                result.completeExceptionally(t);
            }
        });
        return result;
    }

    /**
     * A stage whose cancellation cancels the stage it waits for, without a completion listener per
     * call (which would cost a future, a lambda and a node).
     */
    private static final class CancelsUpstream<T> extends CompletableFuture<T> {
        private volatile CompletableFuture<?> upstream;

        void upstream(CompletableFuture<?> stage) {
            upstream = stage;
            if (stage != null && isCancelled()) {
                stage.cancel(true);
            }
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelled = super.cancel(mayInterruptIfRunning);
            CompletableFuture<?> stage = upstream;
            if (isCancelled() && stage != null) {
                stage.cancel(true);
            }
            return cancelled;
        }
    }

    // ---------------------------------------------------------------- shared steps

    private void acquireBreakers(ToolCall call) {
        int i = 0;
        try {
            for (; i < breakers.length; i++) {
                breakers[i].acquirePermission(call);
            }
        } catch (RuntimeException e) {
            releaseBreakers(call, i);
            if (e instanceof RejectedCallException) {
                LOG.debug("pipeline {}: rejected by {}", name, ((RejectedCallException) e).rejectedBy());
            }
            throw e;
        }
    }

    private void releaseBreakers(ToolCall call, int count) {
        for (int j = 0; j < count; j++) {
            breakers[j].releasePermission(call);
        }
    }

    private void acquireBulkhead(ToolCall call) {
        if (bulkhead != null && !bulkhead.tryAcquirePermission()) {
            releaseBreakers(call, breakers.length);
            LOG.debug("pipeline {}: bulkhead {} full", name, bulkhead.getName());
            throw new BulkheadRejectedException(bulkhead.getName());
        }
    }

    private void recordOutcome(ToolCall call, R result, Throwable error, long began, long ended) {
        if (breakers.length == 0) {
            return;
        }
        recordOutcome(call, classifier.classify(result, error), error, began, ended);
    }

    private void recordOutcome(ToolCall call, CallOutcome outcome, Throwable error, long began, long ended) {
        long endNanoTime = systemNanoTime ? ended : Breaker.NO_END_TIME;
        for (Breaker b : breakers) {
            b.onOutcome(call, outcome, ended - began, endNanoTime, error);
        }
    }

    private boolean safeToRepeat(ToolCall call) {
        return call == null ? retryConfig.retryPlainCalls() : call.hints().safeToRepeat();
    }

    private ExecutorService executor() {
        if (closed) {
            throw refused(new RejectedExecutionException("it is closed"));
        }
        ExecutorService e = executor;
        if (e == null) {
            synchronized (this) {
                e = executor;
                if (e == null) {
                    if (closed) {
                        throw refused(new RejectedExecutionException("it is closed"));
                    }
                    e = Executors.newCachedThreadPool(daemonThreads("call"));
                    executor = e;
                }
            }
        }
        return e;
    }

    private ScheduledExecutorService scheduler() {
        if (closed) {
            throw refused(new RejectedExecutionException("it is closed"));
        }
        ScheduledExecutorService s = scheduler;
        if (s == null) {
            synchronized (this) {
                s = scheduler;
                if (s == null) {
                    if (closed) {
                        throw refused(new RejectedExecutionException("it is closed"));
                    }
                    ScheduledThreadPoolExecutor stpe = new ScheduledThreadPoolExecutor(1, daemonThreads("timer"));
                    stpe.setRemoveOnCancelPolicy(true);
                    s = stpe;
                    scheduler = s;
                }
            }
        }
        return s;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (watchdog != null && !watchdogReleased) {
            watchdogReleased = true;
            watchdog.release();
        }
        if (ownsExecutor && executor != null) {
            executor.shutdownNow();
        }
        if (ownsScheduler && scheduler != null) {
            // not shutdownNow(): waiting retries and deadlines still fire, see the pipeline closed and
            // complete their calls with the last outcome instead of leaving them pending
            scheduler.shutdown();
        }
    }

    private ThreadFactory daemonThreads(String role) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "qudag-pipeline-" + name + "-" + role + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public String toString() {
        return "ResiliencePipeline{" + name + '}';
    }
}
