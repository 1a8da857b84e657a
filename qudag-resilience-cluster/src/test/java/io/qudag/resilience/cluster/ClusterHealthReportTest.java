package io.qudag.resilience.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qudag.resilience.health.HealthMonitoringSystem;
import io.qudag.resilience.health.MetricSpecs;
import io.qudag.resilience.health.http.HealthReport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cluster status in the health report's JSON (spec §1.2, §2.1 health status reporting). */
class ClusterHealthReportTest {

    @TempDir
    Path dir;

    private RaftCluster cluster;

    @AfterEach
    void close() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void theJsonCarriesTheHealthReportAndTheClusterStatus() throws Exception {
        List<ClusterPeer> peers = TestGroups.peers(1);
        cluster = RaftCluster.builder(TestGroups.config(peers, "p0", dir)).build();
        cluster.start();
        await().atMost(Duration.ofSeconds(15)).until(() -> cluster.status().quorumAvailable());
        long index = cluster.replicate("demo", "k", "\"v\"").get().index();
        HealthMonitoringSystem system = HealthMonitoringSystem.builder().metric(MetricSpecs.cpuUtilization()).build();
        system.record("search", MetricSpecs.CPU_UTILIZATION, 10);

        JsonNode json = new ObjectMapper().readTree(
                ClusterHealthReport.of(HealthReport.of(system, Duration.ofMinutes(5)), cluster).toJson());

        assertThat(json.path("components").get(0).path("subject").asText()).isEqualTo("search");
        assertThat(json.path("status").asText()).isEqualTo(HealthReport.of(system, Duration.ofMinutes(5)).status());
        JsonNode c = json.path("cluster");
        assertThat(c.path("status").asText()).isEqualTo("UP");
        assertThat(c.path("peer").asText()).isEqualTo("p0");
        assertThat(c.path("role").asText()).isEqualTo("LEADER");
        assertThat(c.path("leader").asText()).isEqualTo("p0");
        assertThat(c.path("term").asLong()).isPositive();
        assertThat(c.path("quorum").asBoolean()).isTrue();
        assertThat(c.path("members").get(0).asText()).isEqualTo("p0");
        assertThat(c.path("lastAppliedIndex").asLong()).isGreaterThanOrEqualTo(index)
                .isLessThanOrEqualTo(cluster.status().lastAppliedIndex());
        system.close();
    }

    @Test
    void aStoppedPeerIsDownAndSaysWhy() throws Exception {
        cluster = RaftCluster.builder(TestGroups.config(TestGroups.peers(3), "p0", dir)).build();
        HealthMonitoringSystem system = HealthMonitoringSystem.builder().metric(MetricSpecs.cpuUtilization()).build();

        JsonNode c = new ObjectMapper().readTree(
                ClusterHealthReport.of(HealthReport.of(system, Duration.ofMinutes(5)), cluster).toJson()).path("cluster");

        assertThat(c.path("status").asText()).isEqualTo("DOWN");
        assertThat(c.path("role").asText()).isEqualTo("STOPPED");
        assertThat(c.path("leader").isNull()).isTrue();
        assertThat(c.path("quorum").asBoolean()).isFalse();
        assertThat(c.path("reason").asText()).isEqualTo("peer is not started");
        assertThatThrownBy(() -> ClusterHealthReport.of(null, cluster))
                .hasMessage("health and cluster must not be null, were null, " + cluster);
        system.close();
    }
}
