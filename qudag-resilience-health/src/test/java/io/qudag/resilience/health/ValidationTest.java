package io.qudag.resilience.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.qudag.resilience.core.health.HealthCategory;
import io.qudag.resilience.core.health.IndicatorDirection;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Bad input gives a clear error naming field and value, or is rejected and counted. */
class ValidationTest {

    @Test
    void thresholdsInTheWrongOrderNameFieldAndValues() {
        assertThatThrownBy(() -> MetricSpec.builder("cpu").thresholds(90, 80, 95).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cpu.warning must be below critical for HIGHER_IS_WORSE, was 90.0 >= 80.0");
        assertThatThrownBy(() -> MetricSpec.builder("rate").direction(IndicatorDirection.LOWER_IS_WORSE).ideal(1)
                .thresholds(0.9, 0.95, 0.8).build())
                .hasMessage("rate.warning must be above critical for LOWER_IS_WORSE, was 0.9 <= 0.95");
        assertThatThrownBy(() -> MetricSpec.builder("cpu").thresholds(70, 85, Double.NaN).build())
                .hasMessage("cpu.emergency must be a finite number, was NaN");
    }

    @Test
    void negativeOrZeroIntervalsAreRefused() {
        assertThatThrownBy(() -> MetricSpec.builder("cpu").thresholds(1, 2, 3).collectionInterval(Duration.ofSeconds(-5))
                .build()).hasMessage("cpu.collectionInterval must be > 0, was PT-5S");
        assertThatThrownBy(() -> HealthMonitoringSystem.builder().scoreWindow(Duration.ZERO).build())
                .hasMessage("scoreWindow must be > 0, was PT0S");
        assertThatThrownBy(() -> MetricSpec.builder("cpu").thresholds(1, 2, 3).hysteresis(-1).build())
                .hasMessage("cpu.hysteresis must be >= 0, was -1.0");
    }

    @Test
    void weightsNotSummingToOneAreRefused() {
        assertThatThrownBy(() -> HealthMonitoringSystem.builder().categoryWeight(HealthCategory.SYSTEM, 0.5).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("category weights must sum to 1, was 1.2");
        assertThatThrownBy(() -> HealthMonitoringSystem.builder().categoryWeight(HealthCategory.SYSTEM, -0.1).build())
                .hasMessage("categoryWeight SYSTEM must be a finite number >= 0, was -0.1");
    }

    @Test
    void nanAndNegativeSamplesAreRejectedAndCountedAndNeverScored() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        MutableClock clock = new MutableClock();
        HealthMonitoringSystem s = HealthMonitoringSystem.builder().clock(clock).meterRegistry(registry).build();
        assertThat(s.record("ep", MetricSpecs.RESPONSE_TIME_P95, Double.NaN)).isFalse();
        assertThat(s.record("ep", MetricSpecs.RESPONSE_TIME_P95, -3)).isFalse();
        assertThat(s.record("ep", MetricSpecs.RESPONSE_TIME_P95, Double.POSITIVE_INFINITY)).isFalse();
        assertThat(s.rejectedSamples()).isEqualTo(3);
        assertThat(registry.get("qudag.resilience.health.samples.rejected").tag("reason", "not_finite").counter()
                .count()).isEqualTo(2);
        assertThat(registry.get("qudag.resilience.health.samples.rejected").tag("reason", "negative").counter()
                .count()).isEqualTo(1);
        CompositeHealth h = s.evaluate().get(0);
        assertThat(h.status()).isEqualTo(HealthStatus.UNKNOWN);
        assertThat(h.score()).isEmpty();
        assertThatThrownBy(() -> s.record("ep", "no_such_metric", 1))
                .hasMessageStartingWith("metric 'no_such_metric' is not monitored; known: [cpu_utilization");
        assertThatThrownBy(() -> s.record(" ", MetricSpecs.CPU_UTILIZATION, 1))
                .hasMessage("subject must not be blank, was ' '");
    }
}
