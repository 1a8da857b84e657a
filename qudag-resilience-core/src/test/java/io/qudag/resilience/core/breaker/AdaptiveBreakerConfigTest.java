package io.qudag.resilience.core.breaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import java.util.stream.Stream;

class AdaptiveBreakerConfigTest {

    @Test
    void defaultsAreTheSpecValues() {
        AdaptiveBreakerConfig c = AdaptiveBreakerConfig.defaults();
        assertThat(c.baseFailureThreshold()).isEqualTo(0.05);
        assertThat(c.factorWeights()).containsExactlyInAnyOrderEntriesOf(Map.of(
                AdaptiveFactor.HISTORICAL_PERFORMANCE, 0.3, AdaptiveFactor.CURRENT_LOAD, 0.25,
                AdaptiveFactor.TIME_OF_DAY, 0.15, AdaptiveFactor.RESOURCE_AVAILABILITY, 0.2,
                AdaptiveFactor.NETWORK_CONDITIONS, 0.1));
        assertThat(c.slidingWindow()).isEqualTo(Duration.ofMinutes(10));
        assertThat(c.slowCallThreshold()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.baseOpenDuration()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.failureSeverity()).isEqualTo(new MultiplierRange(1.5, 3.0));
        assertThat(c.recoveryHistory()).isEqualTo(new MultiplierRange(0.8, 1.2));
        assertThat(c.systemLoad()).isEqualTo(new MultiplierRange(0.9, 1.5));
        assertThat(c.timeSinceLastFailure()).isEqualTo(new MultiplierRange(0.7, 1.0));
        assertThat(c.halfOpenShare()).isEqualTo(0.1);
        assertThat(c.halfOpenSuccessThreshold()).isEqualTo(3);
        assertThat(c.recoveryPeriod()).isEqualTo(Duration.ofSeconds(300));
        assertThat(c.recoveryIncrement()).isEqualTo(0.1);
        assertThat(c.recoverySteps()).isEqualTo(10);
        assertThat(c.toBuilder().build().toString()).isEqualTo(c.toString());
    }

    static Stream<Arguments> badConfigs() {
        return Stream.of(
                bad(b -> b.factorWeight(AdaptiveFactor.CURRENT_LOAD, -0.1), "factorWeights.current_load must be >= 0, was -0.1"),
                bad(b -> b.factorWeight(AdaptiveFactor.TIME_OF_DAY, 0.35), "factorWeights must sum to 1, was 1.2"),
                bad(b -> b.factorWeights(Map.of(AdaptiveFactor.NETWORK_CONDITIONS, 0.5)), "factorWeights must sum to 1, was 0.5"),
                bad(b -> b.halfOpenShare(0), "halfOpenShare must be in (0, 1], was 0.0"),
                bad(b -> b.halfOpenShare(1.5), "halfOpenShare must be in (0, 1], was 1.5"),
                bad(b -> b.recoveryIncrement(-0.1), "recoveryIncrement must be in (0, 1], was -0.1"),
                bad(b -> b.baseFailureThreshold(Double.NaN), "baseFailureThreshold must be in (0, 1], was NaN"),
                bad(b -> b.slowCallRateThreshold(2), "slowCallRateThreshold must be in (0, 1], was 2.0"),
                bad(b -> b.baseOpenDuration(Duration.ZERO), "baseOpenDuration must be a positive duration, was PT0S"),
                bad(b -> b.slidingWindow(Duration.ofSeconds(-5)), "slidingWindow must be a positive duration, was PT-5S"),
                bad(b -> b.slidingWindow(Duration.ofDays(300 * 365)),
                        "slidingWindow must be at most PT876000H (100 years), was PT2628000H"),
                bad(b -> b.maxOpenDuration(ChronoUnit.FOREVER.getDuration()),
                        "maxOpenDuration must be at most PT876000H (100 years), was PT2562047788015215H30M7.999999999S"),
                bad(b -> b.slowCallThreshold(Duration.ofDays(40_000)),
                        "slowCallThreshold must be at most PT876000H (100 years), was PT960000H"),
                bad(b -> b.recoveryPeriod(null), "recoveryPeriod must be a positive duration, was null"),
                bad(b -> b.slowCallThreshold(Duration.ZERO), "slowCallThreshold must be a positive duration, was PT0S"),
                bad(b -> b.adaptationInterval(Duration.ofMillis(-1)), "adaptationInterval must be a positive duration, was PT-0.001S"),
                bad(b -> b.maxOpenDuration(Duration.ofSeconds(10)), "maxOpenDuration must be >= baseOpenDuration (PT1M), was PT10S"),
                bad(b -> b.backoffMultiplier(0.5), "backoffMultiplier must be >= 1 and finite, was 0.5"),
                bad(b -> b.failureSeverity(3.0, 1.5), "failureSeverity must satisfy 0 < min <= max < infinity, was 3.0-1.5"),
                bad(b -> b.systemLoad(0, 1), "systemLoad must satisfy 0 < min <= max < infinity, was 0.0-1.0"),
                bad(b -> b.halfOpenMonitoringPeriod(Duration.ZERO), "halfOpenMonitoringPeriod must be a positive duration, was PT0S"),
                bad(b -> b.minimumNumberOfCalls(0), "minimumNumberOfCalls must be >= 1, was 0"),
                bad(b -> b.halfOpenSuccessThreshold(0), "halfOpenSuccessThreshold must be >= 1, was 0"),
                bad(b -> b.halfOpenMaxConcurrentCalls(-2), "halfOpenMaxConcurrentCalls must be >= 1, was -2"),
                bad(b -> b.windowBuckets(0), "windowBuckets must be in [1, 4096], was 0"),
                bad(b -> b.minFailureThreshold(0.2), "minFailureThreshold must be <= baseFailureThreshold (0.05), was 0.2"),
                bad(b -> b.thresholdMultiplierMin(1.5), "thresholdMultiplierMin must be in (0, 1], was 1.5"),
                bad(b -> b.outcomePolicy(null), "outcomePolicy must not be null, was null"));
    }

    private static Arguments bad(UnaryOperator<AdaptiveBreakerConfig.Builder> change, String message) {
        return Arguments.of(change, message);
    }

    @ParameterizedTest
    @MethodSource("badConfigs")
    void badConfigurationFailsInBuildNamingFieldAndValue(UnaryOperator<AdaptiveBreakerConfig.Builder> change,
            String message) {
        AdaptiveBreakerConfig.Builder b = change.apply(AdaptiveBreakerConfig.builder());
        assertThatThrownBy(b::build).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    @Test
    void breakerBuilderRejectsBlankName() {
        assertThatThrownBy(() -> AdaptiveCircuitBreaker.builder(" ").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("name must not be blank, was \" \"");
    }
}
