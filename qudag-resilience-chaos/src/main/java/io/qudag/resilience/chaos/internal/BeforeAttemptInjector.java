package io.qudag.resilience.chaos.internal;

import io.micrometer.core.instrument.MeterRegistry;
import io.qudag.resilience.chaos.ChaosSwitch;
import io.qudag.resilience.chaos.InjectorConfig;
import io.qudag.resilience.chaos.Sleeper;
import io.qudag.resilience.core.ToolCall;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * An injector that acts before the attempt: an optional delay (latency, hang), then an outcome — let the
 * attempt run, fail it, or answer instead. Asynchronous attempts are delayed on a timer, never by
 * blocking the caller.
 */
public final class BeforeAttemptInjector<R> extends AbstractFaultInjector<R> {

    /** What a hit does after its delay. */
    @FunctionalInterface
    public interface Outcome<R> {
        /** {@code null} lets the attempt run; a value answers instead; an exception fails the attempt. */
        R complete(ToolCall call) throws Exception;
    }

    private final Function<SeededRandom, Long> delayNanos;
    private final Outcome<R> outcome;
    private final Sleeper sleeper;
    private final Function<Long, Executor> delayer;

    public BeforeAttemptInjector(InjectorConfig config, ChaosSwitch chaosSwitch, MeterRegistry meters,
            boolean everyCall, Function<SeededRandom, Long> delayNanos, Outcome<R> outcome, Sleeper sleeper,
            Function<Long, Executor> delayer) {
        super(config, chaosSwitch, meters, everyCall);
        this.delayNanos = delayNanos;
        this.outcome = outcome;
        this.sleeper = sleeper;
        this.delayer = delayer == null
                ? nanos -> CompletableFuture.delayedExecutor(nanos, TimeUnit.NANOSECONDS) : delayer;
    }

    @Override
    public R beforeAttempt(ToolCall call) throws Exception {
        if (!live() || !hit(call)) {
            return null;
        }
        long delay = delayNanos == null ? 0L : delayNanos.apply(random);
        if (delay > 0) {
            sleeper.sleep(Duration.ofNanos(delay));
        }
        return outcome.complete(call);
    }

    @Override
    public CompletionStage<R> interceptAsync(ToolCall call, Supplier<? extends CompletionStage<R>> attempt) {
        if (!live() || !hit(call)) {
            return attempt.get();
        }
        long delay = delayNanos == null ? 0L : delayNanos.apply(random);
        if (delay <= 0) {
            return completeAsync(call, attempt);
        }
        return CompletableFuture.runAsync(() -> { }, delayer.apply(delay))
                .thenCompose(v -> completeAsync(call, attempt));
    }

    private CompletionStage<R> completeAsync(ToolCall call, Supplier<? extends CompletionStage<R>> attempt) {
        R answer;
        try {
            answer = outcome.complete(call);
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
        return answer != null ? CompletableFuture.completedFuture(answer) : attempt.get();
    }
}
