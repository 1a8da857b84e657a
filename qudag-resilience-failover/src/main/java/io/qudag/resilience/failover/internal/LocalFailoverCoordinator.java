package io.qudag.resilience.failover.internal;

import io.qudag.resilience.core.spi.FailoverCoordinator;

/** The in-process default: this process is the only decider; every commit succeeds at once. */
public final class LocalFailoverCoordinator implements FailoverCoordinator {

    @Override
    public Role role(String scope) {
        return Role.LEADER;
    }

    @Override
    public boolean commit(String scope, String decisionId, String payload) {
        return true;
    }

    @Override
    public String toString() {
        return "LocalFailoverCoordinator";
    }
}
