package io.qudag.resilience.core.fallback;

import io.qudag.resilience.core.CallOutcome;
import io.qudag.resilience.core.RejectedCallException;
import io.qudag.resilience.core.ToolCall;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Sends a failed call to alternative services, chosen round robin (spec §3.1 "alternative_services":
 * load balancing round robin). Each failure starts at the next alternative and tries each at most
 * once; if all fail, it declines with the original failure (the alternatives' errors are suppressed
 * into it). When the original failure is a rejection (breaker open, bulkhead full: it never ran and
 * carries no suppressed errors), it declines with the last alternative's error instead, the other
 * alternatives' errors and the rejection suppressed into that.
 *
 * <p>Only calls that are safe to repeat ({@code ToolHints.safeToRepeat()}) are sent elsewhere by
 * default: a destructive call may already have run on the first service.
 */
public final class AlternativeServiceFallback<R> implements Fallback<R> {

    private final List<Function<ToolCall, R>> alternatives;
    private final boolean unsafeCallsToo;
    private final AtomicInteger next = new AtomicInteger();

    private AlternativeServiceFallback(List<Function<ToolCall, R>> alternatives, boolean unsafeCallsToo) {
        this.alternatives = alternatives;
        this.unsafeCallsToo = unsafeCallsToo;
    }

    /**
     * {@return alternatives for calls that are safe to repeat (and for plain calls)}
     *
     * @param alternatives tried round robin, each once per failure; not empty, no null
     * @param <R> the result type
     */
    public static <R> AlternativeServiceFallback<R> of(List<Function<ToolCall, R>> alternatives) {
        return create(alternatives, false);
    }

    /**
     * {@return alternatives for every call, including destructive ones} Use only when the alternatives are
     * known not to duplicate the effect (e.g. the first service provably never received the call).
     *
     * @param alternatives tried round robin, each once per failure; not empty, no null
     * @param <R> the result type
     */
    public static <R> AlternativeServiceFallback<R> includingUnsafeCalls(List<Function<ToolCall, R>> alternatives) {
        return create(alternatives, true);
    }

    private static <R> AlternativeServiceFallback<R> create(List<Function<ToolCall, R>> alternatives, boolean unsafe) {
        if (alternatives == null || alternatives.isEmpty()) {
            throw new IllegalArgumentException("alternatives must not be empty, was " + alternatives);
        }
        if (alternatives.stream().anyMatch(java.util.Objects::isNull)) {
            throw new IllegalArgumentException("alternatives must not contain null, was " + alternatives);
        }
        return new AlternativeServiceFallback<>(List.copyOf(alternatives), unsafe);
    }

    @Override
    public R apply(ToolCall call, CallOutcome outcome, Throwable failure) throws Throwable {
        boolean rejectedBeforeRunning = outcome == CallOutcome.REJECTED;
        if (call != null && !unsafeCallsToo && !rejectedBeforeRunning && !call.hints().safeToRepeat()) {
            throw failure;
        }
        int n = alternatives.size();
        int start = Math.floorMod(next.getAndIncrement(), n);
        boolean carriesErrors = !(failure instanceof RejectedCallException);
        RuntimeException last = null;
        for (int i = 0; i < n; i++) {
            try {
                return alternatives.get((start + i) % n).apply(call);
            } catch (RuntimeException e) {
                if (e == failure) {
                    continue;
                }
                if (carriesErrors) {
                    failure.addSuppressed(e);
                } else {
                    if (last != null && last != e) {
                        e.addSuppressed(last);
                    }
                    last = e;
                }
            }
        }
        if (last != null) {
            last.addSuppressed(failure);
            throw last;
        }
        throw failure;
    }
}
