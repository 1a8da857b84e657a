package io.qudag.resilience.core.fallback;

import io.qudag.resilience.core.CallOutcome;
import io.qudag.resilience.core.ToolCall;
import java.util.List;

/**
 * Answers for a call that failed or was rejected (spec §3.1 "fallback_strategies"). The outermost
 * layer of a {@code ResiliencePipeline}: it sees every failure, including breaker and bulkhead
 * rejections.
 *
 * <p>To decline, rethrow {@code failure} (or throw something more specific); the caller then gets
 * that error. Implementations must be thread-safe.
 *
 * @param <R> the result type of the protected call
 */
@FunctionalInterface
public interface Fallback<R> {

    /**
     * @param call    the tool call, or {@code null} for a plain call
     * @param outcome how the call ended
     * @param failure the error it ended with
     * @return an answer to give the caller instead of the failure
     * @throws Throwable to decline
     */
    R apply(ToolCall call, CallOutcome outcome, Throwable failure) throws Throwable;

    /**
     * Sees every successful result, e.g. to fill a cache. Must be cheap; must not throw.
     *
     * @param call the call, or {@code null} for a plain call
     * @param result the successful result
     */
    default void onSuccess(ToolCall call, R result) {
    }

    /**
     * Tries each fallback in order until one answers; declines with the last error.
     *
     * @param fallbacks tried in this order
     * @param <R> the result type
     * @return one fallback trying each in turn
     */
    @SafeVarargs
    static <R> Fallback<R> chain(Fallback<R>... fallbacks) {
        List<Fallback<R>> list = List.of(fallbacks);
        if (list.isEmpty()) {
            throw new IllegalArgumentException("fallbacks must not be empty, was []");
        }
        return new Fallback<>() {
            @Override
            public R apply(ToolCall call, CallOutcome outcome, Throwable failure) throws Throwable {
                Throwable last = failure;
                for (Fallback<R> f : list) {
                    try {
                        return f.apply(call, outcome, failure);
                    } catch (Throwable declined) {
                        last = declined;
                    }
                }
                throw last;
            }

            @Override
            public void onSuccess(ToolCall call, R result) {
                for (Fallback<R> f : list) {
                    f.onSuccess(call, result);
                }
            }
        };
    }
}
