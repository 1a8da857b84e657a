package io.qudag.resilience.health.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qudag.resilience.core.config.ConfigException;
import io.qudag.resilience.core.config.ConfigFile;
import io.qudag.resilience.core.health.HealthCategory;
import io.qudag.resilience.core.health.IndicatorDirection;
import io.qudag.resilience.health.HealthMonitoringSystem;
import io.qudag.resilience.health.MetricSpec;
import io.qudag.resilience.health.MetricSpecs;
import io.qudag.resilience.health.distributed.ConsensusConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The health blocks load from JSON and YAML into working objects; bad values name their path. */
class HealthConfigBlocksTest {

    private static final String YAML = """
            health_monitoring_system:
              score_window: "30s"
              fast_interval_factor: 0.25
              category_weights: { system: "20%", application: "50%", business: "20%", predictive: "10%" }
              metrics:
                response_time_p95: { thresholds: [800, 1500, 3000] }
                queue_depth: { category: application, collection_interval: "10s", thresholds: [100, 500, 1000], unit: "jobs" }
                cache_hit_ratio: { category: business, direction: lower_is_worse, thresholds: [0.9, 0.8, 0.5], ideal: 1 }
            health_consensus:
              assessment_interval: "15s"
              timeout: "5s"
              minimum_nodes: 5
              decision_threshold: "70%"
              weights: { local: 0.25, peer: 0.25, external: 0.25, user_experience: 0.25 }
            """;

    private static final String JSON = """
            {"health_monitoring_system": {"score_window": "30s", "fast_interval_factor": 0.25,
               "category_weights": {"system": "20%", "application": "50%", "business": "20%", "predictive": "10%"},
               "metrics": {"response_time_p95": {"thresholds": [800, 1500, 3000]},
                 "queue_depth": {"category": "application", "collection_interval": "10s", "thresholds": [100, 500, 1000], "unit": "jobs"},
                 "cache_hit_ratio": {"category": "business", "direction": "lower_is_worse", "thresholds": [0.9, 0.8, 0.5], "ideal": 1}}},
             "health_consensus": {"assessment_interval": "15s", "timeout": "5s", "minimum_nodes": 5, "decision_threshold": "70%",
               "weights": {"local": 0.25, "peer": 0.25, "external": 0.25, "user_experience": 0.25}}}
            """;

    @Test
    void yamlAndJsonGiveTheSameWorkingObjects() {
        for (ConfigFile file : new ConfigFile[] {
                ConfigFile.parse(YAML, ConfigFile.Format.YAML, HealthConfigBlocks.HEALTH_MONITORING_SYSTEM,
                        HealthConfigBlocks.HEALTH_CONSENSUS),
                ConfigFile.parse(JSON, ConfigFile.Format.JSON, HealthConfigBlocks.HEALTH_MONITORING_SYSTEM,
                        HealthConfigBlocks.HEALTH_CONSENSUS)}) {
            HealthMonitoringSettings settings = file.get(HealthConfigBlocks.HEALTH_MONITORING_SYSTEM).orElseThrow();
            assertThat(settings.scoreWindow()).hasValue(Duration.ofSeconds(30));
            assertThat(settings.categoryWeights()).containsEntry(HealthCategory.APPLICATION, 0.5);

            try (HealthMonitoringSystem system = settings.applyTo(HealthMonitoringSystem.builder()).build()) {
            MetricSpec p95 = system.metrics().get(MetricSpecs.RESPONSE_TIME_P95);
            assertThat(p95.critical()).isEqualTo(1500);
            assertThat(p95.collectionInterval()).as("kept from the default")
                    .isEqualTo(MetricSpecs.responseTimeP95().collectionInterval());
            MetricSpec queue = system.metrics().get("queue_depth");
            assertThat(queue.collectionInterval()).isEqualTo(Duration.ofSeconds(10));
            assertThat(queue.unit()).isEqualTo("jobs");
            assertThat(system.metrics().get("cache_hit_ratio").direction()).isEqualTo(IndicatorDirection.LOWER_IS_WORSE);
            assertThat(system.metrics()).containsKey(MetricSpecs.CPU_UTILIZATION);
            }

            ConsensusConfig consensus = file.get(HealthConfigBlocks.HEALTH_CONSENSUS).orElseThrow();
            assertThat(consensus.minimumNodes()).isEqualTo(5);
            assertThat(consensus.decisionThreshold()).isEqualTo(0.7);
            assertThat(consensus.userExperienceWeight()).isEqualTo(0.25);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "health_monitoring_system: {score_window: soon}|health_monitoring_system.score_window|was \"soon\"",
            "health_monitoring_system: {fast_interval_factor: 2}|health_monitoring_system.fast_interval_factor|was 2.0",
            "health_monitoring_system: {category_weights: {system: 0.5, application: 0.5, business: 0.5, predictive: 0}}|health_monitoring_system.category_weights|must sum to 1",
            "health_monitoring_system: {category_weights: {planet: 1}}|health_monitoring_system.category_weights.planet|must be one of",
            "health_monitoring_system: {metrics: {cpu_utilization: {thresholds: [90, 80, 95]}}}|health_monitoring_system.metrics.cpu_utilization|warning must be below critical",
            "health_monitoring_system: {metrics: {cpu_utilization: {thresholds: [1, 2]}}}|health_monitoring_system.metrics.cpu_utilization.thresholds|must be [warning, critical, emergency]",
            "health_monitoring_system: {metrics: {cpu_utilization: {threshold: [1, 2, 3]}}}|health_monitoring_system.metrics.cpu_utilization.threshold|unknown key",
            "health_consensus: {minimum_nodes: 2}|health_consensus.minimum_nodes|2",
            "health_consensus: {weights: {local: 0.9}}|health_consensus.weights|sum to 1",
    })
    void badValuesNameTheirPath(String yaml, String path, String message) {
        assertThatThrownBy(() -> ConfigFile.parse(yaml, ConfigFile.Format.YAML,
                HealthConfigBlocks.HEALTH_MONITORING_SYSTEM, HealthConfigBlocks.HEALTH_CONSENSUS))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.path()).isEqualTo(path))
                .hasMessageContaining(message);
    }
}
