package io.qudag.resilience.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qudag.resilience.health.http.HealthHttpEndpoint;
import io.qudag.resilience.health.spi.HealthComponent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Sections contributed through {@link HealthComponent} are served in {@code /health} (spec §2.1, §2.2). */
class HealthComponentEndpointTest {

    private final HealthMonitoringSystem system = HealthMonitoringSystem.builder().build();
    private HealthHttpEndpoint endpoint;

    @AfterEach
    void stop() {
        if (endpoint != null) {
            endpoint.close();
        }
        system.close();
    }

    private static HealthComponent component(String name, java.util.function.Supplier<Object> describe) {
        return new HealthComponent() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Object describe() {
                return describe.get();
            }
        };
    }

    private JsonNode health() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(endpoint.url() + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return new ObjectMapper().readTree(r.body());
    }

    @Test
    void eachComponentIsASectionOfTheServedReportAskedAnewOnEveryRequest() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        endpoint = HealthHttpEndpoint.builder(system)
                .component(component("cluster", () -> Map.of("status", "UP", "n", calls.incrementAndGet())))
                .component(component("broken", () -> {
                    throw new IllegalStateException("boom");
                }))
                .build().start();

        JsonNode first = health();
        assertThat(first.path("status").asText()).isEqualTo("UNKNOWN");
        assertThat(first.path("components").isArray()).isTrue();
        assertThat(first.path("cluster").path("status").asText()).isEqualTo("UP");
        assertThat(first.path("cluster").path("n").asInt()).isEqualTo(1);
        assertThat(first.path("broken").path("status").asText()).isEqualTo("UNKNOWN");
        assertThat(first.path("broken").path("error").asText()).contains("boom");
        assertThat(health().path("cluster").path("n").asInt()).isEqualTo(2);
    }

    @Test
    void badComponentNamesFailAtBuildNamingTheValue() {
        assertThatThrownBy(() -> HealthHttpEndpoint.builder(system).component(component("status", () -> 1)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("component.name")
                .hasMessageEndingWith("was status");
        assertThatThrownBy(() -> HealthHttpEndpoint.builder(system).component(component("a b", () -> 1)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("was a b");
        assertThatThrownBy(() -> HealthHttpEndpoint.builder(system).component(component("x", () -> 1))
                .component(component("x", () -> 2)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unique");
        assertThatThrownBy(() -> HealthHttpEndpoint.builder(system).component(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("component must not be null, was null");
    }
}
