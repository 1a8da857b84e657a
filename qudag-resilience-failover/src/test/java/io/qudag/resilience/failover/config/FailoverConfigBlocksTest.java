package io.qudag.resilience.failover.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qudag.resilience.core.config.ConfigException;
import io.qudag.resilience.core.config.ConfigFile;
import io.qudag.resilience.failover.EndpointGroupConfig;
import io.qudag.resilience.failover.FailoverEngineConfig;
import io.qudag.resilience.failover.MaintenanceWindow;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The failover blocks load from JSON and YAML into the objects the builders make; bad values name their path. */
class FailoverConfigBlocksTest {

    private static final String YAML = """
            failover_decision_engine:
              evaluation_interval: "2s"
              error_rate_threshold: "5%"
              auto_rollback: false
              maintenance_windows:
                - { endpoint_id: primary, start: "2026-12-24T22:00:00Z", end: "2026-12-24T23:00:00Z" }
            endpoint_group:
              overprovisioning_factor: 1.4
              panic_threshold: "50%"
              outlier_detection: { consecutive_failures: 3, base_ejection_time: "15s", max_ejection_share: "20%" }
              recovery: { health_check_interval: "5s", successes_to_return: 2, ramp_increment: "25%" }
            """;

    private static final String JSON = """
            {"failover_decision_engine": {"evaluation_interval": "2s", "error_rate_threshold": "5%", "auto_rollback": false,
               "maintenance_windows": [{"endpoint_id": "primary", "start": "2026-12-24T22:00:00Z", "end": "2026-12-24T23:00:00Z"}]},
             "endpoint_group": {"overprovisioning_factor": 1.4, "panic_threshold": "50%",
               "outlier_detection": {"consecutive_failures": 3, "base_ejection_time": "15s", "max_ejection_share": "20%"},
               "recovery": {"health_check_interval": "5s", "successes_to_return": 2, "ramp_increment": "25%"}}}
            """;

    @Test
    void yamlAndJsonGiveTheSameWorkingObjects() {
        for (ConfigFile file : new ConfigFile[] {
                ConfigFile.parse(YAML, ConfigFile.Format.YAML, FailoverConfigBlocks.FAILOVER_DECISION_ENGINE, FailoverConfigBlocks.ENDPOINT_GROUP),
                ConfigFile.parse(JSON, ConfigFile.Format.JSON, FailoverConfigBlocks.FAILOVER_DECISION_ENGINE, FailoverConfigBlocks.ENDPOINT_GROUP)}) {
            FailoverEngineConfig engine = file.get(FailoverConfigBlocks.FAILOVER_DECISION_ENGINE).orElseThrow();
            assertThat(engine.evaluationInterval()).isEqualTo(Duration.ofSeconds(2));
            assertThat(engine.errorRateThreshold()).isEqualTo(0.05);
            assertThat(engine.maintenanceWindows()).containsExactly(new MaintenanceWindow("primary",
                    Instant.parse("2026-12-24T22:00:00Z"), Instant.parse("2026-12-24T23:00:00Z")));
            EndpointGroupConfig group = file.get(FailoverConfigBlocks.ENDPOINT_GROUP).orElseThrow();
            assertThat(group.overprovisioningFactor()).isEqualTo(1.4);
            assertThat(group.outlierDetection().consecutiveFailures()).isEqualTo(3);
            assertThat(group.outlierDetection().baseEjectionTime()).isEqualTo(Duration.ofSeconds(15));
            assertThat(group.recovery().rampIncrement()).isEqualTo(0.25);
            assertThat(group.recovery().rampSteps()).isEqualTo(4);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "failover_decision_engine: {evaluation_interval: soon}|failover_decision_engine.evaluation_interval|was \"soon\"",
            "failover_decision_engine: {error_rate_threshold: \"200%\"}|failover_decision_engine.error_rate_threshold|must be in [0, 100%]",
            "failover_decision_engine: {auto_rollback: \"yes please\"}|failover_decision_engine.auto_rollback|must be true or false",
            "failover_decision_engine: {maintenance_windows: [{endpoint_id: a, start: tomorrow, end: \"2026-12-24T23:00:00Z\"}]}|failover_decision_engine.maintenance_windows[0].start|must be an instant",
            "endpoint_group: {outlier_detection: {consecutive_failure: 3}}|endpoint_group.outlier_detection.consecutive_failure|unknown key",
            "endpoint_group: {recovery: {successes_to_return: 0}}|endpoint_group.recovery.successes_to_return|0",
            "endpoint_group: {overprovisioning_factor: 0.5}|endpoint_group.overprovisioning_factor|0.5",
    })
    void badValuesNameTheirPath(String yaml, String path, String message) {
        assertThatThrownBy(() -> ConfigFile.parse(yaml, ConfigFile.Format.YAML,
                FailoverConfigBlocks.FAILOVER_DECISION_ENGINE, FailoverConfigBlocks.ENDPOINT_GROUP))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.path()).isEqualTo(path))
                .hasMessageContaining(message);
    }
}
