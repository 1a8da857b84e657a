package io.qudag.resilience.core.breaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qudag.resilience.core.MutableClock;
import io.qudag.resilience.core.breaker.spi.FactorSignal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class FactorSignalsTest {

    @Test
    void timeOfDayReportsPeakAndOffPeakTolerances() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T08:59:59Z"));
        FactorSignal s = FactorSignals.timeOfDay(clock, ZoneOffset.UTC, LocalTime.of(9, 0), LocalTime.of(17, 0), 0.2, 0.7);
        assertThat(s.value()).isEqualTo(0.7);
        clock.advance(Duration.ofSeconds(1));
        assertThat(s.value()).isEqualTo(0.2);
        clock.advance(Duration.ofHours(8));
        assertThat(s.value()).as("17:00 is off-peak").isEqualTo(0.7);
        FactorSignal night = FactorSignals.timeOfDay(clock, ZoneOffset.UTC, LocalTime.of(22, 0), LocalTime.of(6, 0), 1, 0);
        assertThat(night.value()).isEqualTo(0.0);
        clock.advance(Duration.ofHours(8)); // 01:00
        assertThat(night.value()).isEqualTo(1.0);
    }

    @Test
    void timeOfDayDrivesTheBreakerThreshold() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T10:00:00Z"));
        AdaptiveCircuitBreaker b = AdaptiveCircuitBreaker.builder("tod").clock(clock)
                .signal(AdaptiveFactor.TIME_OF_DAY, FactorSignals.timeOfDay(clock, ZoneOffset.UTC, LocalTime.of(9, 0),
                        LocalTime.of(17, 0), 1.0, 0.5))
                .build();
        // c = 0.85 * 0.5 + 0.15 * 1.0 = 0.575 -> multiplier 1 + 0.15 = 1.15 -> 0.0575
        assertThat(b.currentFailureThreshold()).isCloseTo(0.0575, org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void rejectsTolerancesOutsideZeroToOne() {
        assertThatThrownBy(() -> FactorSignals.timeOfDay(new MutableClock(), ZoneOffset.UTC, LocalTime.NOON,
                LocalTime.MIDNIGHT, 1.5, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("peakTolerance must be in [0, 1], was 1.5");
    }
}
