package io.qudag.resilience.core.pipeline;

import io.qudag.resilience.core.ToolCall;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Runs one call inside the protections configured in code. The layers, outermost first:
 *
 * <ol>
 *   <li><b>fallback</b> — sees every failure, rejections included, and may answer instead;</li>
 *   <li><b>breakers</b> — each {@code spi.Breaker} admits or refuses the call and learns its outcome
 *       (acquired in the order they were added);</li>
 *   <li><b>bulkhead</b> — bounds concurrent calls of the isolation class;</li>
 *   <li><b>time limit</b> — one deadline for the whole call, retries included; a synchronous call
 *       runs on the pipeline's executor, or on the caller's thread under a {@link CallWatchdog}
 *       ({@link TimeLimitMode});</li>
 *   <li><b>retry</b> — repeats a retryable outcome of a call that is safe to repeat;</li>
 *   <li><b>interceptors</b> — custom stages around each attempt ({@code spi.CallInterceptor}, e.g. fault injectors);</li>
 *   <li>the call itself.</li>
 * </ol>
 *
 * <p>So a breaker records one outcome per call (after retries), a bulkhead permit is held for the
 * whole retry sequence and until the work really ends (a call cut by the time limit keeps its permit
 * until its thread or stage finishes), and the fallback answers when the retries are exhausted or a
 * breaker or bulkhead refused the call. {@code Fallback#onSuccess} sees only results classified as
 * {@code SUCCESS}. Errors reach the caller unchanged (completion wrappers removed), or as
 * a {@link io.qudag.resilience.core.RejectedCallException} or {@link CallTimeoutException}.
 *
 * <p>Thread-safe; build once, share.
 *
 * @param <R> the result type of the calls it runs
 */
public interface ResiliencePipeline<R> extends AutoCloseable {

    /**
     * {@return a builder for a pipeline named {@code name} (used in metrics tags and logs)}
     *
     * @param name the pipeline's name; not blank
     * @param <R> the result type of the calls
     */
    static <R> ResiliencePipelineBuilder<R> builder(String name) {
        return new ResiliencePipelineBuilder<>(name);
    }

    /** {@return the pipeline's name, as used in meter tags and logs} */
    String name();

    /** {@return the configuration this pipeline was built from} */
    ResiliencePipelineConfig<R> config();

    /**
     * Runs a plain call (no {@link ToolCall}, so retry follows {@code RetryPolicy#retryPlainCalls}).
     *
     * @param call the work
     * @return the call's result, or the fallback's answer
     */
    R execute(Supplier<R> call);

    /**
     * Runs a plain call that may throw a checked exception, which reaches the caller unchanged.
     *
     * @param call the work
     * @return the call's result, or the fallback's answer
     * @throws Exception what the call threw, when no fallback answered
     */
    R executeCallable(Callable<R> call) throws Exception;

    /**
     * Runs a tool call; its {@code ToolHints} decide whether it may be retried.
     *
     * @param call the tool call, with its hints
     * @param invoker sends the call; called once per attempt
     * @return the tool's result, or the fallback's answer
     */
    R executeToolCall(ToolCall call, Function<ToolCall, R> invoker);

    /**
     * Runs a plain asynchronous call. Failures come back through the returned stage (only a null
     * {@code call} throws). Cancelling the stage cancels the work and gives its permits back. A
     * bulkhead with a {@code maxWait} waits for a permit on the caller's thread: give pipelines that
     * event loops call a bulkhead that does not wait (the isolation classes' default).
     *
     * @param call starts the work; called once per attempt
     * @return completes with the result, the fallback's answer, or the failure
     */
    CompletionStage<R> executeAsync(Supplier<? extends CompletionStage<R>> call);

    /**
     * Runs an asynchronous tool call. Cancelling at the time limit cancels the stage the invoker returned.
     *
     * @param call the tool call, with its hints
     * @param invoker starts sending the call; called once per attempt
     * @return completes with the result, the fallback's answer, or the failure
     */
    CompletionStage<R> executeToolCallAsync(ToolCall call, Function<ToolCall, ? extends CompletionStage<R>> invoker);

    /**
     * {@return {@code call} wrapped so that each {@code get()} runs it through this pipeline}
     *
     * @param call the work to wrap
     */
    default Supplier<R> decorateSupplier(Supplier<R> call) {
        return () -> execute(call);
    }

    /**
     * {@return {@code call} wrapped so that each {@code call()} runs it through this pipeline}
     *
     * @param call the work to wrap
     */
    default Callable<R> decorateCallable(Callable<R> call) {
        return () -> executeCallable(call);
    }

    /**
     * {@return {@code invoker} wrapped so that each tool call runs through this pipeline}
     *
     * @param invoker sends one tool call
     */
    default Function<ToolCall, R> decorateFunction(Function<ToolCall, R> invoker) {
        return toolCall -> executeToolCall(toolCall, invoker);
    }

    /**
     * {@return {@code call} wrapped so that each {@code get()} runs it asynchronously through this pipeline}
     *
     * @param call starts the work
     */
    default Supplier<CompletionStage<R>> decorateCompletionStage(Supplier<? extends CompletionStage<R>> call) {
        return () -> executeAsync(call);
    }

    /**
     * {@return {@code invoker} wrapped so that each tool call runs asynchronously through this pipeline}
     *
     * @param invoker starts sending one tool call
     */
    default Function<ToolCall, CompletionStage<R>> decorateAsyncFunction(
            Function<ToolCall, ? extends CompletionStage<R>> invoker) {
        return toolCall -> executeToolCallAsync(toolCall, invoker);
    }

    /**
     * Stops the threads this pipeline started for itself (never an executor or scheduler given to its
     * builder) and gives back its share of the {@link CallWatchdog}. Idempotent. Afterwards a time-limited
     * call (either {@link TimeLimitMode}) is refused with a
     * {@link io.qudag.resilience.core.RejectedCallException} before anything runs, and an async retry
     * wait completes with its last outcome; other calls still run.
     */
    @Override
    void close();
}
