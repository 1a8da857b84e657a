package io.qudag.resilience.core.hierarchy;

import io.qudag.resilience.core.breaker.BreakerOpenException;
import io.qudag.resilience.core.breaker.BreakerState;

/**
 * Thrown when a breaker on a call's hierarchy path does not admit it (spec §3.2): names the level
 * and the node that rejected the call, and the call's full path. {@link #rejectedBy()} is the
 * rejecting node's path.
 */
public class HierarchyRejectedException extends BreakerOpenException {

    private final BreakerLevel level;
    private final BreakerPath nodePath;
    private final BreakerPath callPath;

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
