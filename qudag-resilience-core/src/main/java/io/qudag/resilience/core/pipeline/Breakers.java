package io.qudag.resilience.core.pipeline;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.qudag.resilience.core.CallOutcome;
import io.qudag.resilience.core.OutcomePolicy;
import io.qudag.resilience.core.RejectedCallException;
import io.qudag.resilience.core.ToolCall;
import io.qudag.resilience.core.spi.Breaker;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/** Adapters that put existing circuit breakers into a pipeline's breaker slot. */
public final class Breakers {

    private Breakers() {
    }

    /**
     * {@return a Resilience4j breaker that counts the default {@link OutcomePolicy}'s failures}
     *
     * @param circuitBreaker the Resilience4j breaker; non-null
     */
    public static Breaker of(CircuitBreaker circuitBreaker) {
        return of(circuitBreaker, OutcomePolicy.defaults());
    }

    /**
     * {@return a Resilience4j breaker that records an outcome as an error when {@code policy} calls it a
     * failure, and as a success otherwise (so a tool error does not trip it by default); a
     * {@code REJECTED} outcome only gives the permission back} Its own {@code recordExceptions}
     * settings still apply to recorded errors.
     *
     * @param circuitBreaker the Resilience4j breaker; non-null
     * @param policy which outcomes it records as errors; non-null
     */
    public static Breaker of(CircuitBreaker circuitBreaker, OutcomePolicy policy) {
        return new Resilience4jBreaker(Objects.requireNonNull(circuitBreaker, "circuitBreaker"),
                Objects.requireNonNull(policy, "policy"));
    }

    /** Raised when a Resilience4j breaker refuses a call. */
    public static final class CircuitOpenException extends RejectedCallException {
        /** The Resilience4j breaker's state when it refused the call. */
        private final CircuitBreaker.State state;

        CircuitOpenException(String name, CircuitBreaker.State state) {
            super(name, "circuit breaker '" + name + "' is " + state + " and does not permit calls");
            this.state = state;
        }

        /** {@return the Resilience4j breaker's state when it refused the call} */
        public CircuitBreaker.State state() {
            return state;
        }
    }

    private static final class Resilience4jBreaker implements Breaker {
        private final CircuitBreaker delegate;
        private final OutcomePolicy policy;
        /** Stand-ins for failures that arrived as results, so the breaker has a Throwable to record. */
        private final Map<CallOutcome, Throwable> resultFailures = new EnumMap<>(CallOutcome.class);

        Resilience4jBreaker(CircuitBreaker delegate, OutcomePolicy policy) {
            this.delegate = delegate;
            this.policy = policy;
            for (CallOutcome o : CallOutcome.values()) {
                resultFailures.put(o, new OutcomeFailure(o));
            }
        }

        @Override
        public String name() {
            return delegate.getName();
        }

        @Override
        public void acquirePermission(ToolCall call) {
            if (!delegate.tryAcquirePermission()) {
                throw new CircuitOpenException(delegate.getName(), delegate.getState());
            }
        }

        @Override
        public void releasePermission(ToolCall call) {
            delegate.releasePermission();
        }

        @Override
        public void onOutcome(ToolCall call, CallOutcome outcome, long durationNanos, Throwable error) {
            if (outcome == CallOutcome.REJECTED) {
                // Refused further in (a lost hedge, an unavailable endpoint): says nothing about the dependency.
                delegate.releasePermission();
                return;
            }
            if (policy.isFailure(outcome)) {
                delegate.onError(durationNanos, TimeUnit.NANOSECONDS,
                        error != null ? error : resultFailures.get(outcome));
            } else {
                delegate.onSuccess(durationNanos, TimeUnit.NANOSECONDS);
            }
        }
    }

    /** A failure that came back as a result rather than an exception. */
    static final class OutcomeFailure extends RuntimeException {
        OutcomeFailure(CallOutcome outcome) {
            super("call ended with " + outcome, null, false, false);
        }
    }
}
