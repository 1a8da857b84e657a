package io.qudag.resilience.core.hierarchy.spi;

import io.qudag.resilience.core.hierarchy.BreakerPath;

/**
 * Validates one node before staged recovery releases it (spec §3.2 {@code health_checks_at_each_level}).
 * Typical implementations ping the MCP endpoint or read a health score. Called under the hierarchy's
 * coordination lock: answer quickly from cached state.
 */
@FunctionalInterface
public interface LevelHealthCheck {

    /**
     * {@return whether the breaker at {@code node} may start probing again}
     *
     * @param node the breaker's path
     */
    boolean isHealthy(BreakerPath node);

    /** {@return every node is healthy: recovery is paced by the stage interval alone} */
    static LevelHealthCheck alwaysHealthy() {
        return node -> true;
    }
}
