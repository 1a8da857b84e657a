package io.qudag.resilience.core.event;

/**
 * Receives the transitions of an {@code AdaptiveCircuitBreaker} (spec §3.1). Called synchronously
 * on the thread that made the transition: keep it short and do not throw (exceptions are logged and
 * swallowed).
 */
@FunctionalInterface
public interface BreakerEventListener {

    /**
     * One transition happened.
     *
     * @param event the transition, with both states and the reason
     */
    void onStateTransition(BreakerStateTransitionEvent event);
}
