package io.qudag.resilience.core.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HealthGradeTest {

    @Test
    void gradeBoundariesFollowTheSpecRanges() {
        assertThat(HealthGrade.of(100)).isEqualTo(HealthGrade.EXCELLENT);
        assertThat(HealthGrade.of(90)).isEqualTo(HealthGrade.EXCELLENT);
        assertThat(HealthGrade.of(89.999)).isEqualTo(HealthGrade.GOOD);
        assertThat(HealthGrade.of(75)).isEqualTo(HealthGrade.GOOD);
        assertThat(HealthGrade.of(74.999)).isEqualTo(HealthGrade.FAIR);
        assertThat(HealthGrade.of(60)).isEqualTo(HealthGrade.FAIR);
        assertThat(HealthGrade.of(59.999)).isEqualTo(HealthGrade.POOR);
        assertThat(HealthGrade.of(40)).isEqualTo(HealthGrade.POOR);
        assertThat(HealthGrade.of(39.999)).isEqualTo(HealthGrade.CRITICAL);
        assertThat(HealthGrade.of(0)).isEqualTo(HealthGrade.CRITICAL);
    }

    @Test
    void nanHasNoGrade() {
        assertThatThrownBy(() -> HealthGrade.of(Double.NaN)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("score must not be NaN, was NaN");
    }

    @Test
    void categoryDefaultWeightsAreTheSpecsAndSumToOne() {
        assertThat(HealthCategory.SYSTEM.defaultWeight()).isEqualTo(0.3);
        assertThat(HealthCategory.APPLICATION.defaultWeight()).isEqualTo(0.4);
        assertThat(HealthCategory.BUSINESS.defaultWeight()).isEqualTo(0.2);
        assertThat(HealthCategory.PREDICTIVE.defaultWeight()).isEqualTo(0.1);
        double sum = 0;
        for (HealthCategory c : HealthCategory.values()) {
            sum += c.defaultWeight();
        }
        assertThat(sum).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-12));
    }

    @Test
    void actionThresholdsAreTheSpecs() {
        assertThat(HealthAction.INCREASE_MONITORING.defaultThreshold()).isEqualTo(75);
        assertThat(HealthAction.PERFORMANCE_OPTIMIZATION.defaultThreshold()).isEqualTo(60);
        assertThat(HealthAction.ACTIVATE_FAILOVER.defaultThreshold()).isEqualTo(40);
        assertThat(HealthAction.EMERGENCY_RESPONSE.defaultThreshold()).isEqualTo(20);
    }
}
