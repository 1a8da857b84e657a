package io.qudag.resilience.core.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HealthModelTest {

    private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");

    private static HealthIndicator latency(double weight) {
        return HealthIndicator.builder("latency").threshold(500).weight(weight).build();
    }

    private static HealthIndicator errors(double weight) {
        return HealthIndicator.builder("errors").threshold(0.05).weight(weight).fraction(true).build();
    }

    private static HealthIndicator cpu(double weight) {
        return HealthIndicator.builder("cpu").threshold(0.9).weight(weight).fraction(true)
                .category(HealthCategory.SYSTEM).build();
    }

    private static HealthModel twoCategories() {
        return HealthModel.builder().indicator(latency(0.5)).indicator(errors(0.5)).indicator(cpu(1.0))
                .categoryWeight(HealthCategory.SYSTEM, 0.3).categoryWeight(HealthCategory.APPLICATION, 0.7).build();
    }

    @Test
    void compositeWeightsProduceTheExactExpectedNumber() {
        // cpu 0.45 -> 87.5; latency 750 -> 37.5; errors 0 -> 100
        // APPLICATION = 0.5 * 37.5 + 0.5 * 100 = 68.75; composite = 0.3 * 87.5 + 0.7 * 68.75 = 74.375
        HealthScore s = twoCategories().score("ep", Map.of("cpu", 0.45, "latency", 750.0, "errors", 0.0), AT);
        assertThat(s.indicatorScores()).containsEntry("cpu", 87.5).containsEntry("latency", 37.5)
                .containsEntry("errors", 100.0);
        assertThat(s.categoryScores()).containsEntry(HealthCategory.APPLICATION, 68.75);
        assertThat(s.categoryScores().get(HealthCategory.SYSTEM)).isEqualTo(87.5);
        assertThat(s.value()).isCloseTo(74.375, within(1e-9));
        assertThat(s.grade()).isEqualTo(HealthGrade.FAIR);
        assertThat(s.indicatorValues()).containsEntry("latency", 750.0);
        assertThat(s.subject()).isEqualTo("ep");
        assertThat(s.at()).isEqualTo(AT);
        assertThat(s.hasData()).isTrue();
    }

    @Test
    void compositeGradeBoundary89999IsGoodAnd90IsExcellent() {
        HealthModel model = HealthModel.builder().indicator(latency(1.0))
                .categoryWeight(HealthCategory.APPLICATION, 1.0).build();
        HealthScore ninety = model.score("ep", Map.of("latency", 200.0), AT); // b = 0.4 -> 90
        assertThat(ninety.value()).isEqualTo(90.0);
        assertThat(ninety.grade()).isEqualTo(HealthGrade.EXCELLENT);
        HealthScore justBelow = model.score("ep", Map.of("latency", 200.04), AT); // b = 0.40008 -> 89.998
        assertThat(justBelow.value()).isCloseTo(89.998, within(1e-9));
        assertThat(justBelow.grade()).isEqualTo(HealthGrade.GOOD);
    }

    @Test
    void missingIndicatorsAndCategoriesAreLeftOutAndWeightsRenormalised() {
        HealthModel model = twoCategories();
        HealthScore onlyLatency = model.score("ep", Map.of("latency", 250.0), AT);
        assertThat(onlyLatency.value()).isEqualTo(87.5); // only APPLICATION, only latency
        assertThat(onlyLatency.categoryScores()).containsOnlyKeys(HealthCategory.APPLICATION);
        assertThat(onlyLatency.indicatorScores()).containsOnlyKeys("latency");

        HealthScore nanIsMissing = model.score("ep", Map.of("latency", 250.0, "cpu", Double.NaN), AT);
        assertThat(nanIsMissing.value()).isEqualTo(87.5);
    }

    @Test
    void noDataAtAllGivesNaNAndNoGrade() {
        HealthScore s = twoCategories().score("ep", Map.of(), AT);
        assertThat(s.hasData()).isFalse();
        assertThat(s.value()).isNaN();
        assertThat(s.grade()).isNull();
        assertThat(s.indicatorScores()).isEmpty();
        assertThat(s.categoryScores()).isEmpty();
    }

    @Test
    void unknownMetricInValuesIsRejected() {
        assertThatThrownBy(() -> twoCategories().score("ep", Map.of("disk", 1.0), AT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'disk'");
    }

    @Test
    void categoryWeightsDefaultToTheSpec() {
        HealthModel all = HealthModel.builder()
                .indicator(cpu(1.0)).indicator(latency(1.0))
                .indicator(HealthIndicator.builder("ops").threshold(50).ideal(100)
                        .direction(IndicatorDirection.LOWER_IS_WORSE).category(HealthCategory.BUSINESS).build())
                .indicator(HealthIndicator.builder("risk").threshold(0.5).fraction(true)
                        .category(HealthCategory.PREDICTIVE).build())
                .build();
        for (HealthCategory c : HealthCategory.values()) {
            assertThat(all.categoryWeight(c)).isEqualTo(c.defaultWeight());
        }
        assertThat(all.categories()).containsExactlyInAnyOrder(HealthCategory.values());
    }

    @Test
    void normalizeWeightsRescalesProportionally() {
        HealthModel m = HealthModel.builder().indicator(latency(0.2)).indicator(errors(0.6))
                .normalizeWeights(true).build();
        assertThat(m.indicator("latency").orElseThrow().weight()).isCloseTo(0.25, within(1e-12));
        assertThat(m.indicator("errors").orElseThrow().weight()).isCloseTo(0.75, within(1e-12));
        assertThat(m.categoryWeight(HealthCategory.APPLICATION)).isEqualTo(1.0);
        assertThat(m.indicators()).extracting(HealthIndicator::metric).containsExactly("latency", "errors");
    }

    @Test
    void badConfigurationNamesFieldAndValue() {
        assertBad(HealthModel.builder(), "indicators must not be empty, was []");
        assertBad(HealthModel.builder().indicator(null), "indicators[0] must not be null, was null");
        assertBad(HealthModel.builder().indicator(latency(0.5)).indicator(latency(0.5))
                        .categoryWeight(HealthCategory.APPLICATION, 1),
                "indicators[1].metric must be unique, was duplicate 'latency'");
        assertBad(HealthModel.builder().indicator(latency(0.5)).indicator(errors(0.4))
                        .categoryWeight(HealthCategory.APPLICATION, 1),
                "APPLICATION indicator weights {latency=0.5, errors=0.4} must sum to 1 (±1e-6), was 0.9"
                        + " (or use normalizeWeights(true))");
        assertBad(HealthModel.builder().indicator(latency(1.0)),
                "categoryWeights of the used categories {APPLICATION=0.4} must sum to 1 (±1e-6), was 0.4"
                        + " (set categoryWeight(..) or normalizeWeights(true))");
        assertBad(HealthModel.builder().indicator(latency(1.0)).categoryWeight(HealthCategory.APPLICATION, -0.1),
                "categoryWeights.APPLICATION must be >= 0, was -0.1");
        assertBad(HealthModel.builder().indicator(latency(1.0)).categoryWeight(HealthCategory.SYSTEM, Double.NaN),
                "categoryWeights.SYSTEM must be a finite number, was NaN");
        assertBad(HealthModel.builder().indicator(latency(1.0)).categoryWeight(null, 1.0),
                "categoryWeight category must not be null, was null");
        assertBad(HealthModel.builder().indicator(latency(0.0)).normalizeWeights(true),
                "APPLICATION indicator weights {latency=0.0} must sum to > 0 to be normalised, was 0.0");
        assertBad(HealthModel.builder().indicator(latency(1.0)).categoryWeight(HealthCategory.APPLICATION, 0)
                        .normalizeWeights(true),
                "categoryWeights of the used categories {APPLICATION=0.0} must sum to > 0 to be normalised, was 0.0");
        // within the tolerance is fine
        HealthModel.builder().indicator(latency(0.5)).indicator(errors(0.5 + 5e-7))
                .categoryWeight(HealthCategory.APPLICATION, 1).build();
    }

    @Test
    void presetsAreTheSpecIndicators() {
        HealthIndicator rt = HealthIndicators.responseTime();
        assertThat(rt.metric()).isEqualTo("response_time");
        assertThat(rt.threshold()).isEqualTo(500.0);
        assertThat(rt.weight()).isEqualTo(0.3);
        assertThat(rt.evaluationWindow()).isEqualTo(Duration.ofSeconds(30));
        assertThat(rt.statistic()).isEqualTo(IndicatorStatistic.P95);
        HealthIndicator er = HealthIndicators.errorRate();
        assertThat(er.threshold()).isEqualTo(0.05);
        assertThat(er.weight()).isEqualTo(0.4);
        assertThat(er.evaluationWindow()).isEqualTo(Duration.ofSeconds(60));
        HealthIndicator cs = HealthIndicators.connectionSuccessRate();
        assertThat(cs.direction()).isEqualTo(IndicatorDirection.LOWER_IS_WORSE);
        assertThat(cs.ideal()).isEqualTo(1.0);
        assertThat(cs.evaluationWindow()).isEqualTo(Duration.ofSeconds(120));
        assertThat(HealthIndicators.cpuUtilization().threshold()).isEqualTo(0.90);
        assertThat(HealthIndicators.memoryUtilization().weight()).isEqualTo(0.15);
        assertThat(HealthIndicators.diskIoWait().evaluationWindow()).isEqualTo(Duration.ofSeconds(300));
        assertThat(HealthIndicators.diskIoWait().category()).isEqualTo(HealthCategory.SYSTEM);

        HealthModel primary = HealthIndicators.primary();
        assertThat(primary.indicators()).extracting(HealthIndicator::metric)
                .containsExactly("response_time", "error_rate", "connection_success_rate");
        assertThat(primary.categoryWeight(HealthCategory.APPLICATION)).isEqualTo(1.0);

        HealthModel all = HealthIndicators.primaryAndSecondary();
        assertThat(all.indicators()).hasSize(6);
        assertThat(all.indicator("cpu_utilization").orElseThrow().weight()).isCloseTo(0.2 / 0.45, within(1e-12));
        assertThat(all.indicator("disk_io_wait").orElseThrow().weight()).isCloseTo(0.1 / 0.45, within(1e-12));
        assertThat(all.indicator("error_rate").orElseThrow().weight()).isCloseTo(0.4, within(1e-12));
        assertThat(all.categoryWeight(HealthCategory.SYSTEM)).isCloseTo(0.3 / 0.7, within(1e-12));
        assertThat(all.categoryWeight(HealthCategory.APPLICATION)).isCloseTo(0.4 / 0.7, within(1e-12));
    }

    private static void assertBad(HealthModel.Builder builder, String message) {
        assertThatThrownBy(builder::build).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }
}
