package io.qudag.resilience.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.sun.management.ThreadMXBean;
import io.qudag.resilience.health.history.MetricHistory;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class MetricHistoryTest {

    private static final long T0 = 1_767_225_600_000L; // 2026-01-01T00:00:00Z

    @Test
    void keepsTwentyFourHoursInBoundedTiers() {
        MetricHistory h = new MetricHistory();
        // one sample per second for 25 hours: value = hour of day
        for (long s = 0; s < 25 * 3600; s++) {
            h.add(T0 + s * 1000, s / 3600);
        }
        long now = T0 + (25 * 3600 - 1) * 1000L;
        assertThat(h.sampleCount()).isEqualTo(25 * 3600);
        assertThat(h.mean(now, Duration.ofMinutes(5))).isCloseTo(24.0, within(1e-9));
        double[][] day = h.points(now, Duration.ofHours(24));
        assertThat(day.length).isBetween(1439, 1441); // 60 s slots
        assertThat(day[0][1]).isCloseTo(1.0, within(1e-9)); // the first hour has been overwritten
        assertThat(day[day.length - 1][1]).isCloseTo(24.0, within(1e-9));
        double[][] tenMinutes = h.points(now, Duration.ofMinutes(9));
        assertThat(tenMinutes.length).isEqualTo(541); // 1 s slots
        double[][] hour = h.points(now, Duration.ofMinutes(50));
        assertThat(hour[1][0] - hour[0][0]).isEqualTo(10_000); // 10 s slots
        assertThat(MetricHistory.ARRAY_BYTES).isEqualTo(57_600);
    }

    @Test
    void downsampledSlotsKeepMeanAndMax() {
        MetricHistory h = new MetricHistory();
        h.add(T0, 10);
        h.add(T0 + 200, 30);
        h.add(T0 + 59_000, 20);
        double[][] p = h.points(T0 + 59_000, Duration.ofHours(2));
        assertThat(p).hasNumberOfRows(1);
        assertThat(p[0][1]).isCloseTo(20.0, within(1e-9));
        assertThat(p[0][2]).isEqualTo(30.0);
        assertThat(h.lastValue()).isEqualTo(20.0);
        assertThat(h.mean(T0 + 59_000, Duration.ofSeconds(5))).isEqualTo(20.0);
        assertThat(new MetricHistory().mean(T0, Duration.ofSeconds(5))).isNaN();
    }

    @Test
    void addAllocatesNothing() {
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        MetricHistory h = new MetricHistory();
        for (int i = 0; i < 200_000; i++) { // warm up the JIT
            h.add(T0 + i * 10L, i);
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 100_000; i++) {
            h.add(T0 + 2_000_000L + i * 10L, i);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(allocated).as("bytes allocated by 100,000 adds").isLessThan(1_000);
    }
}
