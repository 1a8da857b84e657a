package io.qudag.resilience.core.fallback;

import io.qudag.resilience.core.CallOutcome;
import io.qudag.resilience.core.ToolCall;

/** Answers every failure with one predefined safe response (spec §3.1 "static_responses"). */
public final class StaticResponseFallback<R> implements Fallback<R> {

    private final R response;

    private StaticResponseFallback(R response) {
        this.response = response;
    }

    /**
     * {@return a fallback answering every failure with {@code response}}
     *
     * @param response the answer; must not be {@code null}
     * @param <R> the result type
     */
    public static <R> StaticResponseFallback<R> of(R response) {
        if (response == null) {
            throw new IllegalArgumentException("response must not be null");
        }
        return new StaticResponseFallback<>(response);
    }

    @Override
    public R apply(ToolCall call, CallOutcome outcome, Throwable failure) {
        return response;
    }
}
