package io.qudag.resilience.core.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class HealthIndicatorTest {

    private static final double EPS = 1e-9;

    private static HealthIndicator latency() {
        return HealthIndicator.builder("latency").threshold(500).build(); // ideal 0, HIGHER_IS_WORSE
    }

    private static HealthIndicator successRate() {
        return HealthIndicator.builder("success").threshold(0.95).direction(IndicatorDirection.LOWER_IS_WORSE)
                .fraction(true).build(); // ideal defaults to 1.0
    }

    @Test
    void higherIsWorseScoresAtBelowAndAboveThreshold() {
        HealthIndicator i = latency();
        assertThat(i.score(0)).isEqualTo(100.0);      // at ideal
        assertThat(i.score(250)).isEqualTo(87.5);     // below threshold: 100 - 25 * 0.5
        assertThat(i.score(500)).isEqualTo(75.0);     // at threshold
        assertThat(i.score(750)).isEqualTo(37.5);     // above: 75 * (2 - 1.5) / 1
        assertThat(i.score(1000)).isEqualTo(0.0);     // at zeroScoreMultiple * threshold
        assertThat(i.score(5000)).isEqualTo(0.0);     // far above: clamped
        assertThat(i.score(Double.POSITIVE_INFINITY)).isEqualTo(0.0);
    }

    @Test
    void lowerIsWorseScoresAtBelowAndAboveThreshold() {
        HealthIndicator i = successRate();
        assertThat(i.ideal()).isEqualTo(1.0);
        assertThat(i.score(1.0)).isEqualTo(100.0);              // at ideal
        assertThat(i.score(0.975)).isCloseTo(87.5, within(EPS)); // better than threshold
        assertThat(i.score(0.95)).isCloseTo(75.0, within(EPS));  // at threshold
        assertThat(i.score(0.925)).isCloseTo(37.5, within(EPS)); // worse than threshold
        assertThat(i.score(0.90)).isCloseTo(0.0, within(EPS));   // b = 2
        assertThat(i.score(0.0)).isEqualTo(0.0);
    }

    @Test
    void lowerIsWorseWithExplicitIdealAndCustomShape() {
        HealthIndicator throughput = HealthIndicator.builder("dag_ops").threshold(100).ideal(200)
                .direction(IndicatorDirection.LOWER_IS_WORSE).statistic(IndicatorStatistic.RATE_PER_SECOND)
                .scoreAtThreshold(60).zeroScoreMultiple(3).build();
        assertThat(throughput.score(300)).isEqualTo(100.0);
        assertThat(throughput.score(150)).isEqualTo(80.0);  // b 0.5: 100 - 40 * 0.5
        assertThat(throughput.score(100)).isEqualTo(60.0);  // b 1
        assertThat(throughput.score(0)).isEqualTo(30.0);    // b 2: 60 * (3 - 2) / 2
    }

    @Test
    void nanValueIsRejectedNamingTheMetric() {
        assertThatThrownBy(() -> latency().score(Double.NaN)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("latency").hasMessageContaining("NaN");
    }

    @Test
    void defaultsAreDocumented() {
        HealthIndicator i = latency();
        assertThat(i.direction()).isEqualTo(IndicatorDirection.HIGHER_IS_WORSE);
        assertThat(i.ideal()).isZero();
        assertThat(i.weight()).isEqualTo(1.0);
        assertThat(i.evaluationWindow()).isEqualTo(Duration.ofSeconds(60));
        assertThat(i.statistic()).isEqualTo(IndicatorStatistic.MEAN);
        assertThat(i.category()).isEqualTo(HealthCategory.APPLICATION);
        assertThat(i.scoreAtThreshold()).isEqualTo(75.0);
        assertThat(i.zeroScoreMultiple()).isEqualTo(2.0);
        assertThat(i.toBuilder().build()).isEqualTo(i);
        assertThat(i.withWeight(0.5).weight()).isEqualTo(0.5);
    }

    @Test
    void badConfigurationNamesFieldAndValue() {
        assertBad(HealthIndicator.builder(null).threshold(1), "metric must not be blank, was null");
        assertBad(HealthIndicator.builder("  ").threshold(1), "metric must not be blank, was '  '");
        assertBad(HealthIndicator.builder("m"), "m.threshold is required, was not set");
        assertBad(HealthIndicator.builder("m").threshold(1).weight(-0.1), "m.weight must be >= 0, was -0.1");
        assertBad(HealthIndicator.builder("m").threshold(1).weight(Double.NaN),
                "m.weight must be a finite number, was NaN");
        assertBad(HealthIndicator.builder("m").threshold(Double.NaN), "m.threshold must be a finite number, was NaN");
        assertBad(HealthIndicator.builder("m").threshold(-5), "m.threshold must be >= 0, was -5.0");
        assertBad(HealthIndicator.builder("m").threshold(0), "m.threshold must be > ideal (0.0) for HIGHER_IS_WORSE, was 0.0");
        assertBad(HealthIndicator.builder("err").threshold(5).fraction(true),
                "err.threshold (a fraction) must be in [0.0, 1.0], was 5.0");
        assertBad(HealthIndicator.builder("ok").threshold(0.9).ideal(1.5).fraction(true)
                        .direction(IndicatorDirection.LOWER_IS_WORSE),
                "ok.ideal (a fraction) must be in [0.0, 1.0], was 1.5");
        assertBad(HealthIndicator.builder("m").threshold(10).ideal(20),
                "m.threshold must be > ideal (20.0) for HIGHER_IS_WORSE, was 10.0");
        assertBad(HealthIndicator.builder("m").threshold(10).ideal(5).direction(IndicatorDirection.LOWER_IS_WORSE),
                "m.ideal must be > threshold (10.0) for LOWER_IS_WORSE, was 5.0");
        assertBad(HealthIndicator.builder("m").threshold(95).direction(IndicatorDirection.LOWER_IS_WORSE),
                "m.ideal is required for LOWER_IS_WORSE when threshold is not in (0, 1), threshold was 95.0");
        assertBad(HealthIndicator.builder("m").threshold(1).evaluationWindow(Duration.ZERO),
                "m.evaluationWindow must be > 0, was PT0S");
        assertBad(HealthIndicator.builder("m").threshold(1).evaluationWindow(Duration.ofSeconds(-30)),
                "m.evaluationWindow must be > 0, was PT-30S");
        assertBad(HealthIndicator.builder("m").threshold(1).evaluationWindow(null),
                "m.evaluationWindow must not be null, was null");
        assertBad(HealthIndicator.builder("m").threshold(1).direction(null), "m.direction must not be null, was null");
        assertBad(HealthIndicator.builder("m").threshold(1).statistic(null), "m.statistic must not be null, was null");
        assertBad(HealthIndicator.builder("m").threshold(1).category(null), "m.category must not be null, was null");
        assertBad(HealthIndicator.builder("m").threshold(1).scoreAtThreshold(101),
                "m.scoreAtThreshold must be in [0.0, 100.0], was 101.0");
        assertBad(HealthIndicator.builder("m").threshold(1).zeroScoreMultiple(1),
                "m.zeroScoreMultiple must be > 1, was 1.0");
        assertBad(HealthIndicator.builder("m").threshold(1).zeroScoreMultiple(Double.POSITIVE_INFINITY),
                "m.zeroScoreMultiple must be a finite number, was Infinity");
    }

    private static void assertBad(HealthIndicator.Builder builder, String message) {
        assertThatThrownBy(builder::build).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }
}
