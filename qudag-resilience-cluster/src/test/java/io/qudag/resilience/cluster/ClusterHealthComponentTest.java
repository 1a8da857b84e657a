package io.qudag.resilience.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qudag.resilience.health.HealthMonitoringSystem;
import io.qudag.resilience.health.MetricSpecs;
import io.qudag.resilience.health.http.HealthHttpEndpoint;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cluster status in the health module's served {@code /health} JSON (spec §1.2, §2.1). */
class ClusterHealthComponentTest {

    @TempDir
    Path dir;

    private RaftCluster cluster;
    private RaftCluster stopped;
    private HealthHttpEndpoint endpoint;
    private HealthMonitoringSystem system;

    @AfterEach
    void close() {
        if (endpoint != null) {
            endpoint.close();
        }
        if (system != null) {
            system.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private static JsonNode get(String url) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return new ObjectMapper().readTree(r.body());
    }

    @Test
    void healthServesTheClusterSectionBesideTheReport() throws Exception {
        List<ClusterPeer> peers = TestGroups.peers(1);
        cluster = RaftCluster.builder(TestGroups.config(peers, "p0", dir)).build();
        cluster.start();
        await().atMost(Duration.ofSeconds(15)).until(() -> cluster.status().quorumAvailable());
        long index = cluster.replicate("demo", "k", "\"v\"").get().index();
        stopped = RaftCluster.builder(TestGroups.config(TestGroups.peers(3), "p0", dir.resolve("other"))).build();
        system = HealthMonitoringSystem.builder().metric(MetricSpecs.cpuUtilization()).build();
        system.record("search", MetricSpecs.CPU_UTILIZATION, 10);
        endpoint = HealthHttpEndpoint.builder(system)
                .component(ClusterHealthComponent.of(cluster))
                .component(ClusterHealthComponent.of("journal", stopped::status))
                .build().start();

        JsonNode json = get(endpoint.url() + "/health");

        assertThat(json.path("components").get(0).path("subject").asText()).isEqualTo("search");
        JsonNode c = json.path("cluster");
        assertThat(c.path("status").asText()).isEqualTo("UP");
        assertThat(c.path("peer").asText()).isEqualTo("p0");
        assertThat(c.path("role").asText()).isEqualTo("LEADER");
        assertThat(c.path("quorum").asBoolean()).isTrue();
        assertThat(c.path("term").asLong()).isPositive();
        assertThat(c.path("lastAppliedIndex").asLong()).isGreaterThanOrEqualTo(index);
        JsonNode j = json.path("journal");
        assertThat(j.path("status").asText()).isEqualTo("DOWN");
        assertThat(j.path("role").asText()).isEqualTo("STOPPED");
        assertThat(j.path("reason").asText()).isEqualTo("peer is not started");

        cluster.close();
        JsonNode after = get(endpoint.url() + "/health");
        assertThat(after.path("cluster").path("status").asText()).isEqualTo("DOWN");
        assertThat(after.path("cluster").path("reason").asText()).isEqualTo("peer is stopped");
    }

    @Test
    void badArgumentsNameFieldAndValue() {
        assertThatThrownBy(() -> ClusterHealthComponent.of(null)).hasMessage("cluster must not be null, was null");
        assertThatThrownBy(() -> ClusterHealthComponent.of("status", () -> null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageEndingWith("was status");
        assertThatThrownBy(() -> ClusterHealthComponent.of("journal", null))
                .hasMessage("status must not be null, was null");
    }
}
