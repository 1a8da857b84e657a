package io.qudag.resilience.core.fallback;

import io.qudag.resilience.core.CallOutcome;
import io.qudag.resilience.core.ToolCall;
import java.util.Objects;

/**
 * Answers with a reduced result computed locally, e.g. without non-critical features (spec §3.1
 * "degraded_functionality"). The function decides what "degraded" means for each call and should say
 * so in the result, so the user sees a transparent degradation notice.
 */
public final class DegradedResponseFallback<R> implements Fallback<R> {

    /** Computes a degraded answer. */
    @FunctionalInterface
    public interface Degrader<R> {
        /**
         * Computes a reduced answer for a failed call.
         *
         * @param call the call, or {@code null} for a plain call
         * @param outcome how it failed
         * @param failure the failure
         * @return the degraded answer
         * @throws Exception to decline (the failure reaches the caller)
         */
        R degrade(ToolCall call, CallOutcome outcome, Throwable failure) throws Exception;
    }

    private final Degrader<R> degrader;

    private DegradedResponseFallback(Degrader<R> degrader) {
        this.degrader = degrader;
    }

    /**
     * {@return a fallback answering every failure with what {@code degrader} computes}
     *
     * @param degrader computes the answer; non-null
     * @param <R> the result type
     */
    public static <R> DegradedResponseFallback<R> of(Degrader<R> degrader) {
        return new DegradedResponseFallback<>(Objects.requireNonNull(degrader, "degrader"));
    }

    @Override
    public R apply(ToolCall call, CallOutcome outcome, Throwable failure) throws Exception {
        return degrader.degrade(call, outcome, failure);
    }
}
