package io.qudag.resilience.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Reads the metadata the configuration processor generated into the jar. */
class ConfigurationMetadataTest {

    /** Every property the starter offers; "-" marks one that has no default (unset or a map). */
    private static final Map<String, String> EXPECTED = new TreeMap<>(Map.ofEntries(
            Map.entry("qudag.resilience.enabled", "true"),
            Map.entry("qudag.resilience.client.enabled", "true"),
            Map.entry("qudag.resilience.client.call-timeout", "30s"),
            Map.entry("qudag.resilience.client.sdk-request-timeout", "5m"),
            Map.entry("qudag.resilience.client.startup-wait", "5s"),
            Map.entry("qudag.resilience.client.ping-interval", "1s"),
            Map.entry("qudag.resilience.client.ping-timeout", "5s"),
            Map.entry("qudag.resilience.client.liveness-timeout-floor", "-"),
            Map.entry("qudag.resilience.client.restart-initial-backoff", "100ms"),
            Map.entry("qudag.resilience.client.restart-max-backoff", "10s"),
            Map.entry("qudag.resilience.client.max-restarts", "1000"),
            Map.entry("qudag.resilience.client.session-retries", "1"),
            Map.entry("qudag.resilience.client.hedge-delay", "-"),
            Map.entry("qudag.resilience.client.max-hedges", "1"),
            Map.entry("qudag.resilience.client.trusted", "false"),
            Map.entry("qudag.resilience.client.log-arguments", "false"),
            Map.entry("qudag.resilience.client.connections", "-"),
            Map.entry("qudag.resilience.client.groups", "-"),
            Map.entry("qudag.resilience.server.enabled", "true"),
            Map.entry("qudag.resilience.server.name", "mcp-server"),
            Map.entry("qudag.resilience.server.time-limit", "-"),
            Map.entry("qudag.resilience.server.time-limits", "-"),
            Map.entry("qudag.resilience.server.isolation-class", "user"),
            Map.entry("qudag.resilience.server.rejection-mode", "tool-error-result"),
            Map.entry("qudag.resilience.server.rejection-error-code", "-32603"),
            Map.entry("qudag.resilience.server.tools", "-"),
            Map.entry("qudag.resilience.server.breaker.enabled", "false"),
            Map.entry("qudag.resilience.server.breaker.failure-threshold", "0.05"),
            Map.entry("qudag.resilience.server.breaker.minimum-number-of-calls", "20"),
            Map.entry("qudag.resilience.server.breaker.sliding-window", "10m"),
            Map.entry("qudag.resilience.server.breaker.open-duration", "60s")));

    @Test
    void everyPropertyHasADescriptionAndItsDefault() throws Exception {
        JsonNode root;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("generated metadata").isNotNull();
            root = new ObjectMapper().readTree(in);
        }
        Map<String, JsonNode> byName = new TreeMap<>();
        Set<String> endpointKeys = new java.util.TreeSet<>();
        root.get("properties").forEach(p -> {
            String name = p.get("name").asText();
            if (name.startsWith("qudag.resilience.")) {
                byName.put(name, p);
            } else {
                endpointKeys.add(name);
            }
        });
        assertThat(byName.keySet()).containsExactlyInAnyOrderElementsOf(EXPECTED.keySet());
        // the processor also documents the mcpendpoints Actuator endpoint's own keys
        assertThat(endpointKeys).containsExactlyInAnyOrder("management.endpoint.mcpendpoints.access",
                "management.endpoint.mcpendpoints.cache.time-to-live");
        for (Map.Entry<String, String> e : EXPECTED.entrySet()) {
            JsonNode p = byName.get(e.getKey());
            assertThat(p.path("description").asText()).as("description of %s", e.getKey()).isNotBlank();
            if (e.getValue().equals("-")) {
                assertThat(p.has("defaultValue")).as("default of %s", e.getKey()).isFalse();
            } else {
                assertThat(p.path("defaultValue").asText()).as("default of %s", e.getKey())
                        .isEqualToIgnoringCase(e.getValue());
            }
        }
        Set<String> groups = new java.util.TreeSet<>();
        root.get("groups").forEach(g -> groups.add(g.get("name").asText()));
        assertThat(groups).contains("qudag.resilience", "qudag.resilience.client", "qudag.resilience.server",
                "qudag.resilience.server.breaker");
    }
}
