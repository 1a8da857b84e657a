package io.qudag.resilience.failover.internal;

import io.qudag.resilience.core.CallOutcome;

/** How the decision engine watches a group's call path. Implementations must be cheap. */
interface GroupObserver {

    GroupObserver NONE = new GroupObserver() {
    };

    /** A failed call (per the outcome policy) or a transport error. */
    default void onFailure(EndpointRuntime r, CallOutcome outcome, int consecutiveTransportErrors, long nowMillis) {
    }

    /** A successful call. */
    default void onSuccess(EndpointRuntime r, long nowMillis) {
    }
}
