package io.qudag.resilience.core.hierarchy;

import io.qudag.resilience.core.breaker.BreakerOpenException;
import io.qudag.resilience.core.breaker.BreakerState;

/**
 * Thrown when a breaker on a call's hierarchy path does not admit it (spec §3.2): names the level
 * and the node that rejected the call, and the call's full path. {@link #rejectedBy()} is the
 * rejecting node's path.
 */
public class HierarchyRejectedException extends BreakerOpenException {

    /** The level of the breaker that rejected the call. */
    private final BreakerLevel level;
    /** The path of the breaker that rejected the call. */
    private final BreakerPath nodePath;
    /** The full path of the rejected call. */
    private final BreakerPath callPath;

    /**
     * A rejection by the breaker at {@code nodePath} on the way down {@code callPath}.
     *
     * @param callPath the full path of the call
     * @param nodePath the breaker that rejected it, an ancestor of (or equal to) {@code callPath}
     * @param state that breaker's state at that moment
     */
    public HierarchyRejectedException(BreakerPath callPath, BreakerPath nodePath, BreakerState state) {
        super(nodePath.toString(), state, "rejected at " + nodePath.level() + " level by breaker '" + nodePath
                + "' (" + state + ") on path " + callPath);
        this.level = nodePath.level();
        this.nodePath = nodePath;
        this.callPath = callPath;
    }

    /** {@return the level that rejected the call} */
    public BreakerLevel level() {
        return level;
    }

    /** {@return the path of the breaker that rejected the call} */
    public BreakerPath nodePath() {
        return nodePath;
    }

    /** {@return the full path of the rejected call} */
    public BreakerPath callPath() {
        return callPath;
    }
}
