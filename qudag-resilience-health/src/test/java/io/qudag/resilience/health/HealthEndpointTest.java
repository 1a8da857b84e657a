package io.qudag.resilience.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qudag.resilience.health.http.HealthHttpEndpoint;
import io.qudag.resilience.health.http.HealthProbes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HealthEndpointTest {

    private final MutableClock clock = new MutableClock();
    private final HealthMonitoringSystem system = HealthMonitoringSystem.builder().clock(clock).build();
    private final HttpClient http = HttpClient.newHttpClient();
    private HealthHttpEndpoint endpoint;

    @AfterEach
    void stop() {
        if (endpoint != null) {
            endpoint.close();
        }
        system.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(endpoint.url() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesReportProbesAndPageOnLoopback() throws Exception {
        endpoint = HealthHttpEndpoint.builder(system).build().start();
        assertThat(endpoint.url()).startsWith("http://127.0.0.1:");
        HttpResponse<String> empty = get("/health");
        assertThat(empty.statusCode()).isEqualTo(200);
        JsonNode r0 = new ObjectMapper().readTree(empty.body());
        assertThat(r0.get("status").asText()).isEqualTo("UNKNOWN");

        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofSeconds(1));
            system.record("ep-1", MetricSpecs.RESPONSE_TIME_P95, 120);
            system.record("ep-2", MetricSpecs.RESPONSE_TIME_P95, 2600);
        }
        system.evaluate();
        HttpResponse<String> res = get("/health");
        assertThat(res.statusCode()).as("a CRITICAL subject makes the report DOWN").isEqualTo(503);
        assertThat(res.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode r = new ObjectMapper().readTree(res.body());
        assertThat(r.get("status").asText()).isEqualTo("DOWN");
        assertThat(r.get("components")).hasSize(2);
        JsonNode ep1 = r.get("components").get(0);
        assertThat(ep1.get("subject").asText()).isEqualTo("ep-1");
        assertThat(ep1.get("status").asText()).isEqualTo("EXCELLENT");
        assertThat(ep1.get("score").asDouble()).isEqualTo(94.0); // 100 - 25 * 120 / 500
        assertThat(ep1.get("history")).isNotEmpty();
        assertThat(r.get("alerts").get(0).get("level").asText()).isEqualTo("EMERGENCY");
        assertThat(res.body()).doesNotContain("NaN");

        assertThat(get("/health/live").statusCode()).isEqualTo(200);
        HttpResponse<String> ready = get("/health/ready");
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body()).contains("ep-2 is below the failover threshold");
        assertThat(get("/nope").statusCode()).isEqualTo(404);
        HttpResponse<String> page = get("/");
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(page.body()).contains("createElementNS(SVG_NS", "\"subject\":\"ep-1\"")
                .doesNotContain("https://", "<script src", "<link ");
    }

    @Test
    void readinessCanBeLimitedToThisInstancesOwnSubjects() {
        system.record("remote", MetricSpecs.RESPONSE_TIME_P95, 5000);
        system.record("system", MetricSpecs.CPU_UTILIZATION, 10);
        system.evaluate();
        assertThat(new HealthProbes(system, Set.of()).readiness().up()).isFalse();
        assertThat(new HealthProbes(system, Set.of("system")).readiness().up()).isTrue();
    }

    @Test
    void livenessFailsOnlyWhenTheCollectorStalls() {
        ScheduledExecutorService never = Executors.newSingleThreadScheduledExecutor();
        try {
            never.shutdown(); // a stopped executor: nothing will run
            HealthMonitoringSystem s = HealthMonitoringSystem.builder().clock(clock).build();
            HealthProbes probes = new HealthProbes(s, Set.of());
            assertThat(probes.liveness().up()).isTrue();
            s.collect();
            try {
                s.start(Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "unused");
                    t.setDaemon(true);
                    return t;
                }), Duration.ofSeconds(1));
            } finally {
                s.close();
            }
            clock.advance(Duration.ofSeconds(2));
            assertThat(probes.liveness().up()).isTrue();
            clock.advance(Duration.ofSeconds(2));
            assertThat(probes.liveness().up()).isFalse();
            assertThat(probes.liveness().reason()).contains("no collection finished for 4000 ms");
        } finally {
            never.shutdownNow();
        }
    }

    @Test
    void badEndpointSettingsAreRefused() {
        assertThatThrownBy(() -> HealthHttpEndpoint.builder(system).port(70000).build())
                .hasMessage("port must be in [0, 65535], was 70000");
        assertThatThrownBy(() -> HealthHttpEndpoint.builder(system).historyWindow(Duration.ofHours(25)).build())
                .hasMessage("historyWindow must be in (0, 24h], was PT25H");
    }
}
