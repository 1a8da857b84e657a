package io.qudag.resilience.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qudag.resilience.health.event.HealthFindingEvent;
import io.qudag.resilience.health.event.HealthFindingEvent.Kind;
import io.qudag.resilience.health.http.HealthReport;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The detectors report through the monitoring system once per condition. */
class FindingsTest {

    private final MutableClock clock = new MutableClock();
    private final List<HealthFindingEvent> found = new CopyOnWriteArrayList<>();
    private final HealthMonitoringSystem system = HealthMonitoringSystem.builder().clock(clock)
            .findingListener(found::add).heapLeakDetection("system").build();

    @AfterEach
    void close() {
        system.close();
    }

    private List<Kind> kinds(String metric) {
        return found.stream().filter(f -> f.metric().equals(metric)).map(HealthFindingEvent::kind).distinct().toList();
    }

    @Test
    void aThirtyPercentP95RegressionIsOneRegressionFinding() {
        Random r = new Random(3);
        for (int t = 0; t < 400; t++) {
            clock.advance(Duration.ofSeconds(1));
            double p95 = (t < 300 ? 200 : 260) + 10 * r.nextGaussian();
            system.record("ep", MetricSpecs.RESPONSE_TIME_P95, p95);
        }
        List<HealthFindingEvent> regressions = found.stream().filter(f -> f.kind() == Kind.REGRESSION).toList();
        assertThat(regressions).hasSize(1);
        assertThat(regressions.get(0).at()).isBetween(clock.instant().minusSeconds(100), clock.instant().minusSeconds(90));
        assertThat(HealthReport.of(system, Duration.ofMinutes(5)).findings()).extracting(HealthReport.Finding::kind)
                .contains("REGRESSION");
    }

    @Test
    void connectionsThatOnlyGrowAreOneLeakFinding() {
        for (int t = 0; t < 100; t++) {
            clock.advance(Duration.ofSeconds(5));
            system.record("ep", MetricSpecs.ACTIVE_CONNECTIONS, 50 + 2 * t);
        }
        assertThat(found.stream().filter(f -> f.kind() == Kind.CONNECTION_LEAK)).hasSize(1);
    }

    @Test
    void aSteadilyGrowingHeapAfterGcIsAMemoryLeakFinding() {
        long limit = Runtime.getRuntime().maxMemory();
        long start = clock.millis();
        for (int i = 0; i < 200 && kinds(MetricSpecs.MEMORY_UTILIZATION).isEmpty(); i++) {
            system.onHeapAfterGc("system", start + i * 30_000L, (long) (0.1 * limit + i * 0.001 * limit));
        }
        assertThat(kinds(MetricSpecs.MEMORY_UTILIZATION)).containsExactly(Kind.MEMORY_LEAK);
        HealthFindingEvent leak = found.get(found.size() - 1);
        assertThat(leak.value()).isLessThan(0.5 * limit);
        assertThat(leak.detail()).contains("heap after GC rising");
    }

    @Test
    void anomaliesAreSuppressedAfterOneIsReported() {
        Random r = new Random(6);
        for (int t = 0; t < 600; t++) {
            clock.advance(Duration.ofSeconds(1));
            double p95 = 200 + 10 * r.nextGaussian() + (t >= 200 && t % 10 == 0 ? 150 : 0); // a spike every 10 s
            system.record("ep", MetricSpecs.RESPONSE_TIME_P95, p95);
        }
        List<HealthFindingEvent> anomalies = found.stream().filter(f -> f.kind() == Kind.ANOMALY).toList();
        assertThat(anomalies).hasSizeBetween(5, 400 / HealthMonitoringSystem.ANOMALY_SUPPRESSION + 2);
        for (int i = 1; i < anomalies.size(); i++) {
            assertThat(Duration.between(anomalies.get(i - 1).at(), anomalies.get(i).at()))
                    .isGreaterThanOrEqualTo(Duration.ofSeconds(HealthMonitoringSystem.ANOMALY_SUPPRESSION));
        }
    }

    @Test
    void findingsKeepTheLastHundredOldestFirstWithOrWithoutAListener() {
        HealthMonitoringSystem quiet = HealthMonitoringSystem.builder().clock(clock).build(); // no listener
        try {
            Random r = new Random(8);
            for (int t = 0; t < 20_000; t++) {
                clock.advance(Duration.ofSeconds(1));
                // a spike every 61 samples: each one is reported (the suppression is 60 samples)
                double v = 200 + 10 * r.nextGaussian() + (t >= 200 && t % 61 == 0 ? 400 : 0);
                system.record("ep-" + (t % 2), MetricSpecs.RESPONSE_TIME_P95, v);
                quiet.record("ep-" + (t % 2), MetricSpecs.RESPONSE_TIME_P95, v);
            }
            assertThat(found).hasSizeGreaterThan(HealthMonitoringSystem.MAX_FINDINGS);
            List<HealthFindingEvent> lastHundred = found.subList(found.size() - HealthMonitoringSystem.MAX_FINDINGS,
                    found.size());
            assertThat(system.findings()).containsExactlyElementsOf(lastHundred);
            assertThat(quiet.findings()).containsExactlyElementsOf(lastHundred);
            assertThat(quiet.findings().get(0).at()).isBefore(quiet.findings().get(99).at());
        } finally {
            quiet.close();
        }
    }

    @Test
    void heapLeakDetectionIsOffByDefaultAndValidated() {
        HealthMonitoringSystem plain = HealthMonitoringSystem.builder().clock(clock).build();
        assertThatThrownBy(() -> plain.onHeapAfterGc("system", 0, 1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> HealthMonitoringSystem.builder().heapLeakDetection(" ").build())
                .hasMessage("heapLeakDetection subject must not be blank, was ' '");
    }
}
