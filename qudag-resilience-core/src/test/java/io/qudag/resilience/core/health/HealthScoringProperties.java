package io.qudag.resilience.core.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;

/** Properties of the documented scoring function and of the composite. */
class HealthScoringProperties {

    @Provide
    Arbitrary<HealthIndicator> indicators() {
        Arbitrary<IndicatorDirection> direction = Arbitraries.of(IndicatorDirection.class);
        Arbitrary<Double> a = Arbitraries.doubles().between(0, 10_000).ofScale(4);
        Arbitrary<Double> gap = Arbitraries.doubles().between(0.001, 10_000).ofScale(4);
        Arbitrary<Double> sat = Arbitraries.doubles().between(0, 100);
        Arbitrary<Double> zero = Arbitraries.doubles().between(1.01, 10);
        return Combinators.combine(direction, a, gap, sat, zero).as((d, base, g, s, z) -> {
            double ideal = d == IndicatorDirection.HIGHER_IS_WORSE ? base : base + g;
            double threshold = d == IndicatorDirection.HIGHER_IS_WORSE ? base + g : base;
            return HealthIndicator.builder("m").direction(d).ideal(ideal).threshold(threshold)
                    .scoreAtThreshold(s).zeroScoreMultiple(z).build();
        });
    }

    /** Moves {@code value} {@code steps} further from the ideal (worse) for the indicator's direction. */
    private static double worse(HealthIndicator i, double value, double steps) {
        return i.direction() == IndicatorDirection.HIGHER_IS_WORSE ? value + steps : value - steps;
    }

    @Property
    void scoreIsBetween0And100(@ForAll("indicators") HealthIndicator indicator,
                               @ForAll @DoubleRange(min = -1e6, max = 1e6) double value) {
        assertThat(indicator.score(value)).isBetween(0.0, 100.0);
    }

    @Property
    void scoreNeverRisesAsTheValueGetsWorse(@ForAll("indicators") HealthIndicator indicator,
                                            @ForAll @DoubleRange(min = 0, max = 20_000) double value,
                                            @ForAll @DoubleRange(min = 0, max = 20_000) double step) {
        double better = indicator.score(value);
        double worse = indicator.score(worse(indicator, value, step));
        assertThat(worse).isLessThanOrEqualTo(better);
    }

    @Property
    void idealScores100AndThresholdScoresScoreAtThreshold(@ForAll("indicators") HealthIndicator indicator) {
        assertThat(indicator.score(indicator.ideal())).isEqualTo(100.0);
        assertThat(indicator.score(indicator.threshold())).isCloseTo(indicator.scoreAtThreshold(), within(1e-9));
    }

    @Property
    void compositeIsBetween0And100AndItsGradeMatches(@ForAll @DoubleRange(min = 0, max = 5000) double latency,
                                                     @ForAll @DoubleRange(min = 0, max = 1) double errorRate,
                                                     @ForAll @DoubleRange(min = 0, max = 1) double success,
                                                     @ForAll @DoubleRange(min = 0, max = 1) double cpu) {
        HealthScore s = HealthIndicators.primaryAndSecondary().score("p", Map.of("response_time", latency,
                "error_rate", errorRate, "connection_success_rate", success, "cpu_utilization", cpu),
                Instant.EPOCH);
        assertThat(s.value()).isBetween(0.0, 100.0);
        assertThat(s.grade()).isEqualTo(HealthGrade.of(s.value()));
    }
}
