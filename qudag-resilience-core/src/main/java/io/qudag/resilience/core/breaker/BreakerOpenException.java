package io.qudag.resilience.core.breaker;

import io.qudag.resilience.core.RejectedCallException;

/**
 * Thrown by an {@link AdaptiveCircuitBreaker} that does not admit a call: it is OPEN or FORCED_OPEN,
 * or the call fell outside the share HALF_OPEN or RECOVERY admits (spec §3.1). Outcome REJECTED; the
 * pipeline's fallback handles it. Carries no stack trace.
 */
public class BreakerOpenException extends RejectedCallException {

    /** The breaker's state when it rejected the call. */
    private final BreakerState state;

    /**
     * @param breakerName the breaker that rejected the call
     * @param state       its state at that moment
     */
    public BreakerOpenException(String breakerName, BreakerState state) {
        this(breakerName, state, "circuit breaker '" + breakerName + "' is " + state + " and does not admit the call");
    }

    /**
     * For subclasses that word the message themselves.
     *
     * @param breakerName the breaker that rejected the call
     * @param state its state at that moment
     * @param message the exception's message
     */
    protected BreakerOpenException(String breakerName, BreakerState state, String message) {
        super(breakerName, message);
        this.state = state;
    }

    /** {@return the state of the breaker when it rejected the call} */
    public BreakerState state() {
        return state;
    }
}
