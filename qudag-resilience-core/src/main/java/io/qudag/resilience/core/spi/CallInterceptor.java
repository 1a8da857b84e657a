package io.qudag.resilience.core.spi;

import io.qudag.resilience.core.ToolCall;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * A custom stage of the {@code ResiliencePipeline}, innermost: it runs around every attempt of a call
 * (inside retry and the time limit), so breakers, retries and deadlines react to what it does. The
 * chaos module's fault injectors (spec §5.1) plug in here, like Polly's chaos strategies.
 *
 * <p>Several interceptors run in the order they were added, the first outermost. The synchronous
 * hooks must not allocate when the interceptor has nothing to do: the pipeline calls them on every
 * attempt. Implementations must be thread-safe.
 *
 * @param <R> the result type of the pipeline's calls
 */
public interface CallInterceptor<R> {

    /**
     * Called before an attempt. Return {@code null} to let it run; throw to fail it (the exception reaches the
     * pipeline as the call's own error would); return a value to answer instead of running it.
     *
     * @param call the tool call, or {@code null} for a plain call
     * @return {@code null} to let the attempt run, or the answer that replaces it
     * @throws Exception to fail the attempt as if the call had thrown it
     */
    R beforeAttempt(ToolCall call) throws Exception;

    /**
     * Called after an attempt that returned (or was answered by {@link #beforeAttempt}).
     *
     * @param call the tool call, or {@code null} for a plain call
     * @param result what the attempt returned
     * @return the result, or a replacement for it
     * @throws Exception to fail the attempt after all
     */
    default R afterAttempt(ToolCall call, R result) throws Exception {
        return result;
    }

    /**
     * Runs an asynchronous attempt through this interceptor. The default runs {@link #beforeAttempt} on the
     * calling thread, then the attempt, then {@link #afterAttempt}; override it to delay without blocking the caller.
     *
     * @param call the tool call, or {@code null} for a plain call
     * @param attempt starts the attempt
     * @return the attempt's stage, or one that answers or fails it instead
     */
    default CompletionStage<R> interceptAsync(ToolCall call, Supplier<? extends CompletionStage<R>> attempt) {
        R early;
        try {
            early = beforeAttempt(call);
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletionStage<R> stage = early != null ? CompletableFuture.completedFuture(early) : attempt.get();
        return stage.thenApply(r -> {
            try {
                return afterAttempt(call, r);
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        });
    }
}
