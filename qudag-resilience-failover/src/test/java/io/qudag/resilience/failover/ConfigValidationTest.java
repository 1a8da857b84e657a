package io.qudag.resilience.failover;

import static io.qudag.resilience.core.FailoverTier.DISASTER_RECOVERY;
import static io.qudag.resilience.core.FailoverTier.LOCAL;
import static io.qudag.resilience.core.FailoverTier.REGIONAL;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Bad configuration fails in build() naming the field and the value. */
class ConfigValidationTest {

    private static final Endpoint A = Endpoint.of("a", LOCAL, "http://a");

    @Test
    void endpointWeightOutOfRange() {
        assertThatThrownBy(() -> Endpoint.builder("a").weight(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("endpoint[a].weight must be in 1..10000, was 0");
        assertThatThrownBy(() -> Endpoint.builder("a").weight(10_001).build())
                .hasMessageContaining("weight").hasMessageContaining("10001");
        assertThatThrownBy(() -> Endpoint.builder(" ").build()).hasMessageContaining("endpoint.id").hasMessageContaining("\" \"");
        assertThatThrownBy(() -> Endpoint.builder("a").capacityPerSecond(-1).build())
                .hasMessageContaining("capacityPerSecond").hasMessageContaining("-1.0");
    }

    @Test
    void overprovisioningBelowOne() {
        assertThatThrownBy(() -> EndpointGroupConfig.builder().overprovisioningFactor(0.9).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("overprovisioningFactor must be in [1.0, 100.0], was 0.9");
    }

    @Test
    void panicThresholdOutOfRange() {
        assertThatThrownBy(() -> EndpointGroupConfig.builder().panicThreshold(1.5).build())
                .hasMessage("panicThreshold must be in [0.0, 1.0], was 1.5");
        assertThatThrownBy(() -> EndpointGroupConfig.builder().panicThreshold(Double.NaN).build())
                .hasMessageContaining("panicThreshold").hasMessageContaining("NaN");
    }

    @Test
    void tierWithNoEndpoints() {
        assertThatThrownBy(() -> EndpointGroup.builder("svc").endpoint(A).tier(REGIONAL).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tiers.REGIONAL.endpoints must not be empty, was []");
    }

    @Test
    void endpointInTheWrongTier() {
        assertThatThrownBy(() -> EndpointGroup.builder("svc").tier(DISASTER_RECOVERY, A).build())
                .hasMessage("tiers.DISASTER_RECOVERY.endpoints[a].tier must be DISASTER_RECOVERY, was LOCAL");
    }

    @Test
    void groupWithoutEndpointsOrWithDuplicates() {
        assertThatThrownBy(() -> EndpointGroup.builder("svc").build())
                .hasMessage("endpoints must not be empty, was []");
        assertThatThrownBy(() -> EndpointGroup.builder("svc").endpoint(A).endpoint(A).build())
                .hasMessageContaining("duplicate \"a\"");
        assertThatThrownBy(() -> EndpointGroup.builder("").endpoint(A).build())
                .hasMessage("name must not be blank, was \"\"");
    }

    @Test
    void outlierDetectionFactors() {
        assertThatThrownBy(() -> OutlierDetectionConfig.builder().maxEjectionShare(0).build())
                .hasMessage("outlierDetection.maxEjectionShare must be in (0.0, 1.0], was 0.0");
        assertThatThrownBy(() -> OutlierDetectionConfig.builder().consecutiveFailures(0).build())
                .hasMessage("outlierDetection.consecutiveFailures must be >= 1, was 0");
        assertThatThrownBy(() -> OutlierDetectionConfig.builder().baseEjectionTime(Duration.ofSeconds(60))
                .maxEjectionTime(Duration.ofSeconds(30)).build())
                .hasMessageContaining("outlierDetection.maxEjectionTime").hasMessageContaining("PT30S");
        assertThatThrownBy(() -> OutlierDetectionConfig.builder().successRateStdevFactor(-1).build())
                .hasMessageContaining("successRateStdevFactor").hasMessageContaining("-1.0");
    }

    @Test
    void recoveryFactors() {
        assertThatThrownBy(() -> RecoveryConfig.builder().rampIncrement(0).build())
                .hasMessage("recovery.rampIncrement must be in (0.0, 1.0], was 0.0");
        assertThatThrownBy(() -> RecoveryConfig.builder().healthCheckInterval(Duration.ZERO).build())
                .hasMessage("recovery.healthCheckInterval must be a positive duration, was PT0S");
        assertThatThrownBy(() -> RecoveryConfig.builder().successesToReturn(0).build())
                .hasMessage("recovery.successesToReturn must be >= 1, was 0");
    }

    @Test
    void engineFactors() {
        assertThatThrownBy(() -> FailoverEngineConfig.builder().errorRateThreshold(1.2).build())
                .hasMessage("errorRateThreshold must be in (0.0, 1.0], was 1.2");
        assertThatThrownBy(() -> FailoverEngineConfig.builder().degradationThreshold(-0.5).build())
                .hasMessage("degradationThreshold must be >= 0.0 and finite, was -0.5");
        assertThatThrownBy(() -> FailoverEngineConfig.builder().shiftStep(0).build())
                .hasMessage("shiftStep must be in (0.0, 1.0], was 0.0");
        assertThatThrownBy(() -> FailoverEngineConfig.builder().unreachableAfterTransportErrors(0).build())
                .hasMessage("unreachableAfterTransportErrors must be >= 1, was 0");
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        assertThatThrownBy(() -> new MaintenanceWindow("a", t, t))
                .hasMessageContaining("maintenanceWindow[a].end must be after start");
        EndpointGroup g = EndpointGroup.builder("svc").endpoint(A).build();
        assertThatThrownBy(() -> FailoverDecisionEngine.builder(g).config(FailoverEngineConfig.builder()
                .maintenanceWindow(new MaintenanceWindow("zzz", t, t.plusSeconds(60))).build()).build())
                .hasMessage("maintenanceWindows.endpointId must name an endpoint of group svc, was zzz");
    }

    @Test
    void durationsOutsideOneMillisecondToAHundredYearsFailInBuild() {
        assertThatThrownBy(() -> OutlierDetectionConfig.builder().baseEjectionTime(Duration.ofSeconds(Long.MAX_VALUE))
                .build()).hasMessageStartingWith("outlierDetection.baseEjectionTime must be at most PT876000H");
        assertThatThrownBy(() -> FailoverEngineConfig.builder().evaluationInterval(Duration.ofNanos(500)).build())
                .hasMessage("evaluationInterval must be at least 1 ms, was PT0.0000005S");
        assertThatThrownBy(() -> RecoveryConfig.builder().rampIncrement(0.01).monitoringPeriod(Duration.ofMillis(50))
                .build()).hasMessage("recovery.monitoringPeriod must give each of the 100 ramp steps at least 1 ms, "
                        + "was PT0.05S");
    }
}
