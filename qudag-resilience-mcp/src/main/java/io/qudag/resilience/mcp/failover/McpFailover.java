package io.qudag.resilience.mcp.failover;

import io.qudag.resilience.core.FailoverTier;
import io.qudag.resilience.failover.Endpoint;
import io.qudag.resilience.failover.EndpointGroup;
import io.qudag.resilience.failover.FailoverDecisionEngine;
import io.qudag.resilience.failover.spi.HealthProbe;
import io.qudag.resilience.mcp.McpEndpoint;
import io.qudag.resilience.mcp.failover.internal.FailoverEndpointSelector;
import io.qudag.resilience.mcp.failover.internal.McpPingProbe;
import io.qudag.resilience.mcp.spi.EndpointSelector;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Plugs the failover module into {@code ResilientMcpClient} (spec §1.1, §1.2): the client
 * asks the {@link EndpointGroup} which endpoints to try ({@link EndpointGroup#rank}), reports every
 * attempt's outcome to it (ejection, immediate and gradual triggers, recovery), and a liveness probe
 * that finds a connection dead reports {@code SERVER_UNREACHABLE} to the {@link FailoverDecisionEngine}.
 *
 * <p>One name per endpoint: a failover {@link Endpoint} made by {@link #endpoint} carries the
 * {@link McpEndpoint}'s id, and {@link #selector(FailoverDecisionEngine, List)} refuses a group whose ids
 * differ from the client's endpoints.
 */
public final class McpFailover {

    /** Attribute of an {@link Endpoint} made by {@link #endpoint}: {@code HTTP} or {@code STDIO}. */
    public static final String KIND_ATTRIBUTE = "mcp.kind";

    private McpFailover() {
    }

    /**
     * Makes the failover endpoint of an MCP endpoint.
     *
     * @param endpoint the MCP endpoint
     * @param tier its failover tier
     * @param weight its share of the tier's traffic
     * @return the failover endpoint: the same id, the given tier and weight, and as address the URL (HTTP) or
     *         {@code stdio:<command>}
     * @throws IllegalArgumentException when {@code endpoint} is {@code null} or the tier or weight is invalid
     */
    public static Endpoint endpoint(McpEndpoint endpoint, FailoverTier tier, int weight) {
        if (endpoint == null) {
            throw new IllegalArgumentException("endpoint must not be null, was null");
        }
        String address = endpoint.kind() == McpEndpoint.Kind.HTTP ? endpoint.url().toString()
                : "stdio:" + endpoint.serverParameters().getCommand();
        return Endpoint.builder(endpoint.id()).tier(tier).weight(weight).address(address)
                .attribute(KIND_ATTRIBUTE, endpoint.kind().name()).build();
    }

    /**
     * {@return the client's routing seam backed by {@code engine} and its group: {@code select} is
     * {@link EndpointGroup#rank} (lock-free, no allocation), {@code onOutcome} feeds
     * {@link EndpointGroup#onOutcome}, and a liveness probe that finds an endpoint down reports
     * {@code FailoverCondition.SERVER_UNREACHABLE} (an instant redirection when the endpoint still takes
     * traffic)} A probe finding an endpoint up does nothing: endpoints come back through the group's
     * health checks and ramp (spec §1.2 recovery procedures).
     *
     * <p>When every endpoint is drained, {@code select} throws the group's
     * {@code NoEndpointAvailableException} and the client's {@code callTool} fails with it.
     *
     * @param engine the decision engine whose group routes the calls
     * @param clientEndpoints the endpoints the client is configured with; their ids must be exactly the
     *                        group's
     * @throws IllegalArgumentException when the ids differ
     */
    public static EndpointSelector selector(FailoverDecisionEngine engine, List<McpEndpoint> clientEndpoints) {
        if (engine == null) {
            throw new IllegalArgumentException("engine must not be null, was null");
        }
        if (clientEndpoints == null) {
            throw new IllegalArgumentException("clientEndpoints must not be null, was null");
        }
        Set<String> groupIds = new TreeSet<>();
        engine.group().endpoints().forEach(e -> groupIds.add(e.id()));
        Set<String> clientIds = new TreeSet<>();
        clientEndpoints.forEach(e -> clientIds.add(e.id()));
        if (!groupIds.equals(clientIds)) {
            throw new IllegalArgumentException("clientEndpoints ids must equal the ids of group "
                    + engine.group().name() + " " + groupIds + ", was " + clientIds);
        }
        return new FailoverEndpointSelector(engine);
    }

    /**
     * {@return a health check for the group's recovery procedure (spec §1.2: every 10 s, 3 successes to return):
     * opens a fresh MCP session to an HTTP endpoint's address, runs {@code initialize} and {@code ping},
     * and closes it; healthy when both answer within {@code timeout}} A fresh session proves that the
     * server accepts new clients, not only that a socket is open. Endpoints that are not HTTP
     * (stdio children supervised by the client) are reported unhealthy: give those their own probe.
     *
     * @param timeout how long {@code initialize} and {@code ping} may take together, positive
     * @throws IllegalArgumentException when {@code timeout} is not positive
     */
    public static HealthProbe pingProbe(Duration timeout) {
        if (timeout == null || timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must be > 0, was " + timeout);
        }
        return new McpPingProbe(timeout);
    }
}
