package io.qudag.resilience.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.qudag.resilience.core.health.HealthCategory;
import io.qudag.resilience.core.spi.HealthTrendSignal;
import io.qudag.resilience.health.http.HealthReport;
import io.qudag.resilience.health.predict.EarlyWarningLevel;
import io.qudag.resilience.health.predict.EarlyWarnings;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The system's forecasts feed core's HealthTrendSignal before the threshold is crossed. */
class PredictiveSignalTest {

    private final MutableClock clock = new MutableClock();
    private final HealthMonitoringSystem system = HealthMonitoringSystem.builder().clock(clock).build();

    @Test
    void climbingLatencyIsPredictedBeforeItCrossesCritical() {
        HealthTrendSignal signal = system;
        Random r = new Random(1);
        Optional<HealthTrendSignal.Prediction> first = Optional.empty();
        double valueAtCaution = Double.NaN;
        double valueAtFirst = 0;
        for (int t = 0; t < 200 && first.isEmpty(); t++) {
            clock.advance(Duration.ofSeconds(1));
            double p95 = 300 + 4.0 * t + 5 * r.nextGaussian();
            system.record("ep", MetricSpecs.RESPONSE_TIME_P95, p95);
            system.evaluate();
            Optional<HealthTrendSignal.Prediction> p = signal.predict("ep");
            if (p.isPresent() && Double.isNaN(valueAtCaution)) {
                assertThat(p.get().failureProbability()).isGreaterThan(0.7);
                valueAtCaution = p95;
            }
            first = p.filter(x -> x.failureProbability() > 0.85);
            valueAtFirst = p95;
        }
        assertThat(valueAtCaution).isLessThan(valueAtFirst);
        assertThat(first).hasValueSatisfying(p -> {
            assertThat(p.failureProbability()).isGreaterThan(0.85);
            assertThat(p.horizon()).isLessThanOrEqualTo(Duration.ofMinutes(15));
            assertThat(p.reason()).contains("response_time_p95 rising", "crosses critical 1.00e+03");
        });
        assertThat(valueAtFirst).as("predicted while p95 is still below critical").isLessThan(1000);
        assertThat(system.warnings()).first().satisfies(w -> {
            assertThat(w.level()).isIn(EarlyWarningLevel.CAUTION, EarlyWarningLevel.ALERT, EarlyWarningLevel.EMERGENCY);
            assertThat(w.metric()).isEqualTo(MetricSpecs.RESPONSE_TIME_P95);
        });
        CompositeHealth h = system.health("ep");
        assertThat(h.dimensions()).containsKey(HealthCategory.PREDICTIVE);
        assertThat(h.dimensions().get(HealthCategory.PREDICTIVE)).as("mean risk of the window").isLessThan(90);
        assertThat(HealthReport.of(system, Duration.ofMinutes(5)).predictions()).isNotEmpty();
    }

    @Test
    void aStableSeriesPredictsNothing() {
        Random r = new Random(2);
        for (int t = 0; t < 300; t++) {
            clock.advance(Duration.ofSeconds(1));
            system.record("ep", MetricSpecs.RESPONSE_TIME_P95, 200 + 5 * r.nextGaussian());
            system.evaluate();
            assertThat(system.predict("ep")).as("t=%d", t).isEmpty();
        }
        assertThat(system.health("ep").dimensions().get(HealthCategory.PREDICTIVE)).isGreaterThan(95);
    }

    @Test
    void earlyWarningLevelsCarryTheSpecsNoticesAndConfidences() {
        assertThat(EarlyWarningLevel.ADVISORY.advanceNotice()).isEqualTo(Duration.ofMinutes(30));
        assertThat(EarlyWarningLevel.CAUTION.advanceNotice()).isEqualTo(Duration.ofMinutes(15));
        assertThat(EarlyWarningLevel.CAUTION.minConfidence()).isEqualTo(0.7);
        assertThat(EarlyWarningLevel.ALERT.advanceNotice()).isEqualTo(Duration.ofMinutes(5));
        assertThat(EarlyWarningLevel.ALERT.minConfidence()).isEqualTo(0.85);
        assertThat(EarlyWarningLevel.EMERGENCY.advanceNotice()).isEqualTo(Duration.ofMinutes(1));
        assertThat(EarlyWarnings.phi(0)).isEqualTo(0.5, org.assertj.core.api.Assertions.within(1e-7));
        assertThat(EarlyWarnings.phi(1.96)).isEqualTo(0.975, org.assertj.core.api.Assertions.within(1e-4));
    }
}
