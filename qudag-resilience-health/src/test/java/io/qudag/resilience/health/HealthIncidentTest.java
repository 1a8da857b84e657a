package io.qudag.resilience.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qudag.resilience.core.plan.DisasterRecoveryPlan;
import io.qudag.resilience.health.http.HealthHttpEndpoint;
import io.qudag.resilience.health.http.HealthReport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The open incident of a disaster-recovery plan in the JSON health report (spec §4.3 exposure). */
class HealthIncidentTest {

    private final MutableClock clock = new MutableClock();
    private final HealthMonitoringSystem system = HealthMonitoringSystem.builder().clock(clock).build();
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final HttpClient http = HttpClient.newHttpClient();
    private DisasterRecoveryPlan plan;
    private HealthHttpEndpoint endpoint;

    @AfterEach
    void stop() throws Exception {
        if (endpoint != null) {
            endpoint.close();
        }
        if (plan != null) {
            plan.close();
        }
        system.close();
        executor.shutdownNow();
        assertThat(executor.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(endpoint.url() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void reportShowsLevel2IncidentWithPhaseStepsAndModeAndReadinessStaysUp() throws Exception {
        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofSeconds(1));
            system.record("search", MetricSpecs.RESPONSE_TIME_P95, 120);
        }
        system.evaluate();
        plan = Level2Incident.drive(clock, executor);
        clock.advance(Duration.ofMinutes(3));
        plan.tick();
        endpoint = HealthHttpEndpoint.builder(system).plan(plan).build().start();

        HttpResponse<String> res = get("/health");
        assertThat(res.statusCode()).as("an open incident alone does not turn the report DOWN").isEqualTo(200);
        JsonNode r = new ObjectMapper().readTree(res.body());
        assertThat(r.get("status").asText()).isEqualTo("UP");
        JsonNode inc = r.get("incident");
        assertThat(inc.get("plan").asText()).isEqualTo("search-dr");
        assertThat(inc.get("level").asInt()).isEqualTo(2);
        assertThat(inc.get("levelName").asText()).isEqualTo("SERVICE_DISRUPTION");
        assertThat(inc.get("phase").asText()).isEqualTo("SHORT_TERM");
        assertThat(inc.get("mode").asText()).as("levels 2 and 3 run REDUCED by default").isEqualTo("REDUCED");
        assertThat(inc.get("timeInPhaseSeconds").asLong()).isEqualTo(180);
        assertThat(inc.get("timeBoxSeconds").asLong()).as("short-term ends 4 h after the level was reached")
                .isEqualTo(Duration.ofHours(4).toSeconds());
        assertThat(inc.get("secondsToDeadline").asLong()).isEqualTo(Duration.ofHours(4).minusMinutes(3).toSeconds());
        assertThat(inc.get("phaseDeadline").asText()).isEqualTo(plan.currentIncident().orElseThrow().phaseDeadline()
                .toString());
        assertThat(inc.get("done")).hasSize(1);
        assertThat(inc.get("done").get(0).get("procedure").asText()).isEqualTo(Level2Incident.ISOLATE);
        assertThat(inc.get("done").get(0).get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(inc.get("done").get(0).get("phase").asText()).isEqualTo("IMMEDIATE_RESPONSE");
        assertThat(inc.get("pending")).hasSize(1);
        assertThat(inc.get("pending").get(0).get("procedure").asText()).isEqualTo(Level2Incident.ACTIVATE);
        assertThat(inc.get("pending").get(0).get("status").asText()).isEqualTo("AWAITING_APPROVAL");
        assertThat(inc.get("pending").get(0).get("manual").asBoolean()).isTrue();
        assertThat(inc.get("reasons")).isNotEmpty();

        HttpResponse<String> ready = get("/health/ready");
        assertThat(ready.statusCode()).as("readiness ignores the incident by itself").isEqualTo(200);

        HttpResponse<String> page = get("/health/page");
        assertThat(page.body()).contains("\"levelName\":\"SERVICE_DISRUPTION\"", "renderIncident(r.incident)");

        assertThat(plan.approve(Level2Incident.ACTIVATE, "ops")).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> plan.currentIncident().isEmpty());
        JsonNode after = new ObjectMapper().readTree(get("/health").body());
        assertThat(after.get("incident").isNull()).as("closed incident leaves the report").isTrue();
    }

    @Test
    void withoutPlanOrWhenTheSnapshotFailsTheIncidentIsNull() {
        assertThat(HealthReport.of(system, Duration.ofMinutes(1)).incident()).isNull();
        assertThat(HealthReport.of(system, Duration.ofMinutes(1), () -> {
            throw new IllegalStateException("plan lock broken");
        }).incident()).isNull();
        assertThat(HealthReport.of(system, Duration.ofMinutes(1)).toJson()).contains("\"incident\":null");
    }

    @Test
    void nullPlanIsRejectedNamingTheField() {
        assertThatThrownBy(() -> HealthHttpEndpoint.builder(system).plan(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("plan must not be null, was null");
        assertThatThrownBy(() -> HealthHttpEndpoint.builder(system).planSnapshots(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("planSnapshots must not be null, was null");
    }
}
