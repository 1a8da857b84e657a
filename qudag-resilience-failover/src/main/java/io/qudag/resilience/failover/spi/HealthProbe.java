package io.qudag.resilience.failover.spi;

import io.qudag.resilience.failover.Endpoint;
import java.util.concurrent.CompletionStage;

/**
 * An active health check of one endpoint, run every {@code recovery.healthCheckInterval} (10 s, spec
 * §1.2 recovery procedures) while the endpoint is PROBING. The MCP binding implements it with an MCP
 * {@code ping} (a ping to a dead server fails in ~10 ms).
 *
 * <p>Must not block: return a stage that completes with {@code true} (healthy) or {@code false} /
 * exceptionally (unhealthy). A check that has not answered within the check interval counts as
 * failed and its stage is cancelled; a late answer is ignored.
 */
@FunctionalInterface
public interface HealthProbe {

    /**
     * Checks whether an ejected endpoint answers again.
     *
     * @param endpoint the endpoint to check
     * @return completes with true when healthy, false (or exceptionally) when not
     */
    CompletionStage<Boolean> check(Endpoint endpoint);
}
