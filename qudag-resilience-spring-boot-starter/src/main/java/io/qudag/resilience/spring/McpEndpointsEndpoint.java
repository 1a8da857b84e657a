package io.qudag.resilience.spring;

import io.qudag.resilience.mcp.EndpointHealth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * The {@code mcpendpoints} Actuator endpoint: every group, its connections in routing order, and each
 * connection's state, reachability, call counters and health score (spec §2.1). Expose it with
 * {@code management.endpoints.web.exposure.include=health,mcpendpoints}.
 */
@Endpoint(id = "mcpendpoints")
public class McpEndpointsEndpoint {

    private final McpClientGroups groups;

    /**
     * Creates the endpoint over the application's groups.
     *
     * @param groups the MCP client groups to report on
     */
    public McpEndpointsEndpoint(McpClientGroups groups) {
        this.groups = groups;
    }

    /**
     * Reads every group and its connections.
     *
     * @return groups by name, each with {@code available} and its {@code connections} (name, up, state,
     *         counters, last ping and, once it has data, the health score and grade)
     */
    @ReadOperation
    public Map<String, Object> endpoints() {
        Map<String, Object> out = new LinkedHashMap<>();
        groups.groups().forEach((name, g) -> {
            List<Map<String, Object>> connections = new ArrayList<>();
            for (String c : g.connections()) {
                EndpointHealth h = g.health(c);
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", c);
                m.put("up", g.isUp(c));
                m.put("state", h.state().name());
                m.put("successes", h.successes());
                m.put("failures", h.failures());
                m.put("failureRate", h.failureRate());
                m.put("failedPings", h.failedPings());
                m.put("inFlightFailedFast", h.inFlightFailedFast());
                m.put("restarts", h.restarts());
                m.put("lastPingMillis", h.lastPingMillis());
                if (h.score() != null && h.score().hasData()) {
                    m.put("score", h.score().value());
                    m.put("grade", h.score().grade().name());
                }
                connections.add(m);
            }
            Map<String, Object> group = new LinkedHashMap<>();
            group.put("available", g.isAvailable());
            group.put("connections", connections);
            out.put(name, group);
        });
        return out;
    }
}
