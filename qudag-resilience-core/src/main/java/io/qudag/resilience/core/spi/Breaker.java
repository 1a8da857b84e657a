package io.qudag.resilience.core.spi;

import io.qudag.resilience.core.CallOutcome;
import io.qudag.resilience.core.RejectedCallException;
import io.qudag.resilience.core.ToolCall;

/**
 * The breaker slot of a {@code ResiliencePipeline}: anything that can admit or refuse a call and
 * learn from how it ended. A Resilience4j {@code CircuitBreaker} (through
 * {@code Breakers.of(circuitBreaker)}), the {@code AdaptiveCircuitBreaker} (spec §3.1) and a
 * {@code BreakerHierarchy} path (spec §3.2) all plug in here.
 *
 * <p>Protocol for one call: {@link #acquirePermission} once; then exactly one of
 * {@link #onOutcome} (the call ran) or {@link #releasePermission} (it never ran, e.g. a bulkhead
 * behind the breaker refused it). Implementations must be thread-safe; the success path should
 * allocate nothing.
 */
public interface Breaker {

    /** The {@code endNanoTime} of a call that was not timed with {@code System.nanoTime()}. */
    long NO_END_TIME = Long.MIN_VALUE;

    /** {@return a stable name, used in metrics tags, logs and rejections} */
    String name();

    /**
     * Admits the call or refuses it.
     *
     * @param call the tool call, or {@code null} for a plain (non-tool) call
     * @throws RejectedCallException when the call may not run now
     */
    void acquirePermission(ToolCall call);

    /**
     * Gives back a permission for a call that was admitted but never ran.
     *
     * @param call the call, or {@code null} for a plain call
     */
    void releasePermission(ToolCall call);

    /**
     * Records how an admitted call ended.
     *
     * @param call          the tool call, or {@code null} for a plain call
     * @param outcome       its classified outcome
     * @param durationNanos how long the call took
     * @param error         the error it ended with, or {@code null}
     */
    void onOutcome(ToolCall call, CallOutcome outcome, long durationNanos, Throwable error);

    /**
     * Records how an admitted call ended, with the {@code System.nanoTime()} reading its duration was
     * measured to, so that a breaker keeping a time-based window need not read the clock again (the
     * pipeline passes it). The default ignores the reading.
     *
     * @param call the call, or {@code null} for a plain call
     * @param outcome how the call ended
     * @param durationNanos how long it ran, in nanoseconds
     * @param endNanoTime {@code System.nanoTime()} when the call ended, or {@link #NO_END_TIME} when the
     *                    caller timed it with another source
     * @param error the failure, or {@code null}
     */
    default void onOutcome(ToolCall call, CallOutcome outcome, long durationNanos, long endNanoTime, Throwable error) {
        onOutcome(call, outcome, durationNanos, error);
    }
}
