package io.qudag.resilience.spring;

import io.qudag.resilience.mcp.EndpointHealth;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Actuator health of the MCP client side (spec §2.1 health scores): {@code mcpConnections} has one
 * indicator per connection (DOWN when its server is unreachable), {@code mcpGroups} one per group, DOWN
 * only when no connection of the group can take calls. Put {@code mcpGroups} in the readiness group
 * ({@code management.endpoint.health.group.readiness.include=readinessState,mcpGroups}) and readiness
 * goes DOWN only when a whole group is unavailable.
 */
public final class McpHealthContributors {

    private McpHealthContributors() {
    }

    /**
     * The {@code mcpGroups} contributor: a group is DOWN only when none of its connections can take calls.
     *
     * @param groups the MCP client groups
     * @return one indicator per group
     */
    public static CompositeHealthContributor groups(McpClientGroups groups) {
        Map<String, HealthIndicator> map = new LinkedHashMap<>();
        groups.groups().forEach((name, g) -> map.put(name, () -> {
            Health.Builder b = g.isAvailable() ? Health.up() : Health.down();
            Map<String, Object> members = new LinkedHashMap<>();
            for (String c : g.connections()) {
                members.put(c, g.isUp(c) ? "UP" : "DOWN");
            }
            return b.withDetail("connections", members).build();
        }));
        return CompositeHealthContributor.fromMap(map);
    }

    /**
     * The {@code mcpConnections} contributor: a connection is DOWN when its server is unreachable, UNKNOWN
     * while its first connection is still being made and it has seen no call.
     *
     * @param groups the MCP client groups
     * @return one indicator per connection
     */
    public static CompositeHealthContributor connections(McpClientGroups groups) {
        Map<String, HealthIndicator> map = new LinkedHashMap<>();
        groups.groups().forEach((name, g) -> g.connections().forEach(c -> map.put(c, () -> connection(g, c))));
        return CompositeHealthContributor.fromMap(map);
    }

    static Health connection(McpClientGroups.Group g, String c) {
        EndpointHealth h = g.health(c);
        Health.Builder b;
        if (g.isUp(c)) {
            b = Health.up();
        } else if (h.state() == EndpointHealth.ConnectionState.CONNECTING && h.successes() + h.failures() == 0) {
            b = Health.unknown();
        } else {
            b = Health.down();
        }
        b.withDetail("group", g.name()).withDetail("state", h.state().name())
                .withDetail("reachable", h.state() == EndpointHealth.ConnectionState.READY)
                .withDetail("successes", h.successes()).withDetail("failures", h.failures())
                .withDetail("consecutiveFailures", h.consecutiveFailures())
                .withDetail("failedPings", h.failedPings()).withDetail("inFlightFailedFast", h.inFlightFailedFast())
                .withDetail("restarts", h.restarts());
        if (h.lastPingMillis() >= 0) {
            b.withDetail("lastPingMillis", h.lastPingMillis());
        }
        if (h.score() != null && h.score().hasData()) {
            b.withDetail("score", Math.round(h.score().value() * 10) / 10.0).withDetail("grade", h.score().grade().name());
        }
        return b.build();
    }
}
