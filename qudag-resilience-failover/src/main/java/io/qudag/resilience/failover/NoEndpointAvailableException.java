package io.qudag.resilience.failover;

import io.qudag.resilience.core.RejectedCallException;

/**
 * Thrown by {@link EndpointGroup#choose} when no endpoint of the group may take a call (all drained).
 * Its outcome is {@link io.qudag.resilience.core.CallOutcome#REJECTED}; the rejecting part is the group.
 */
public class NoEndpointAvailableException extends RejectedCallException {

    public NoEndpointAvailableException(String groupName, String message) {
        super(groupName, message);
    }
}
