package io.qudag.resilience.core.breaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.qudag.resilience.core.breaker.internal.AdaptiveFormulas;
import io.qudag.resilience.core.breaker.internal.ShareAdmission;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AdaptiveFormulasTest {

    private final AdaptiveBreakerConfig defaults = AdaptiveBreakerConfig.defaults();

    private static double[] signals(double historical, double load, double timeOfDay, double resources, double network) {
        return new double[] {historical, load, timeOfDay, resources, network};
    }

    @Test
    void neutralSignalsKeepTheBaseThreshold() {
        assertThat(AdaptiveFormulas.threshold(defaults, signals(0.5, 0.5, 0.5, 0.5, 0.5))).isEqualTo(0.05, within(1e-12));
        assertThat(AdaptiveFormulas.threshold(defaults, signals(Double.NaN, 0.5, 0.5, 0.5, 0.5)))
                .isEqualTo(0.05, within(1e-12));
    }

    @Test
    void weightedFactorsMoveTheThresholdAlongThePiecewiseMultiplier() {
        // c = 0.3*0 + 0.25*0.5 + 0.15*0.5 + 0.2*0.5 + 0.1*0.5 = 0.35 -> m = 0.5 + 0.5*0.7 = 0.85
        assertThat(AdaptiveFormulas.threshold(defaults, signals(0, 0.5, 0.5, 0.5, 0.5))).isEqualTo(0.0425, within(1e-12));
        // c = 0.3*1 + 0.25*1 + 0.15*0.5 + 0.2*0.5 + 0.1*0.5 = 0.775 -> m = 1 + 1*0.55 = 1.55
        assertThat(AdaptiveFormulas.threshold(defaults, signals(1, 1, 0.5, 0.5, 0.5))).isEqualTo(0.0775, within(1e-12));
        // all lenient: m = 2 -> 0.10; all strict: m = 0.5 -> 0.025
        assertThat(AdaptiveFormulas.threshold(defaults, signals(1, 1, 1, 1, 1))).isEqualTo(0.10, within(1e-12));
        assertThat(AdaptiveFormulas.threshold(defaults, signals(0, 0, 0, 0, 0))).isEqualTo(0.025, within(1e-12));
        // out-of-range signals are clamped
        assertThat(AdaptiveFormulas.threshold(defaults, signals(7, 7, 7, 7, 7))).isEqualTo(0.10, within(1e-12));
    }

    @Test
    void thresholdIsClampedToItsBounds() {
        AdaptiveBreakerConfig c = AdaptiveBreakerConfig.builder().baseFailureThreshold(0.3).maxFailureThreshold(0.4)
                .minFailureThreshold(0.2).thresholdMultiplierMax(3).thresholdMultiplierMin(0.1).build();
        assertThat(AdaptiveFormulas.threshold(c, signals(1, 1, 1, 1, 1))).isEqualTo(0.4);
        assertThat(AdaptiveFormulas.threshold(c, signals(0, 0, 0, 0, 0))).isEqualTo(0.2);
    }

    @Test
    void openDurationMultipliesTheSpecFactorsAndBacksOff() {
        long never = Long.MAX_VALUE;
        // severity 1 -> 3.0; no history -> 1.0; no load -> 1.0; first opening -> 0.7: 60 s * 2.1 = 126 s
        assertThat(AdaptiveFormulas.openDurationMillis(defaults, 1.0, Double.NaN, Double.NaN, never, 1)).isEqualTo(126_000);
        // severity 0 -> 1.5; all relapses -> 1.2; full load -> 1.5; just failed -> 1.0: 60 * 2.7 = 162 s
        assertThat(AdaptiveFormulas.openDurationMillis(defaults, 0.0, 1.0, 1.0, 0, 1)).isEqualTo(162_000);
        // severity 0.5 -> 2.25; no relapses -> 0.8; idle -> 0.9; 30 min ago -> 0.85; third opening -> x4
        assertThat(AdaptiveFormulas.openDurationMillis(defaults, 0.5, 0.0, 0.0, 1_800_000, 3))
                .isEqualTo(Math.round(60_000 * 2.25 * 0.8 * 0.9 * 0.85 * 4));
        // capped at maxOpenDuration (30 min)
        assertThat(AdaptiveFormulas.openDurationMillis(defaults, 1.0, 1.0, 1.0, 0, 10))
                .isEqualTo(Duration.ofMinutes(30).toMillis());
    }

    @Test
    void severityMeasuresOvershoot() {
        assertThat(AdaptiveFormulas.severity(0.05, 0.05)).isZero();
        assertThat(AdaptiveFormulas.severity(1.0, 0.05)).isEqualTo(1.0);
        assertThat(AdaptiveFormulas.severity(0.525, 0.05)).isEqualTo(0.5, within(1e-12));
    }

    @Test
    void shareAdmissionAdmitsTheFirstAndThenEveryTenth() {
        long ppm = ShareAdmission.toPpm(0.1);
        StringBuilder pattern = new StringBuilder();
        for (int n = 0; n < 21; n++) {
            pattern.append(ShareAdmission.admits(n, ppm) ? 'A' : '.');
        }
        assertThat(pattern).hasToString("A.........A.........A");
        assertThat(ShareAdmission.admittedAmong(1000, ppm)).isEqualTo(100);
        assertThat(ShareAdmission.admittedAmong(1001, ppm)).isEqualTo(101);
        assertThat(ShareAdmission.toPpm(1.0)).isEqualTo(ShareAdmission.PPM);
    }
}
