package io.qudag.resilience.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.qudag.resilience.health.event.HealthAlertEvent;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Alerts are raised once per crossing and cleared once, with hysteresis, for each dimension. */
class AlertHysteresisTest {

    private final MutableClock clock = new MutableClock();
    private final List<HealthAlertEvent> events = new CopyOnWriteArrayList<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final HealthMonitoringSystem system = HealthMonitoringSystem.builder().clock(clock)
            .meterRegistry(registry).alertListener(events::add).build();

    private void feed(String subject, String metric, double... values) {
        for (double v : values) {
            clock.advance(Duration.ofSeconds(1));
            assertThat(system.record(subject, metric, v)).isTrue();
        }
    }

    private List<String> names() {
        return events.stream().map(e -> e.metric() + ":" + e.kind() + ":" + e.level()).toList();
    }

    @Test
    void systemCpuHoveringOnWarningRaisesOnceAndClearsOnceWithMargin() {
        // warning 70, critical 85, hysteresis (85-70)/10 = 1.5
        feed("host", MetricSpecs.CPU_UTILIZATION, 50, 70, 69, 71, 69.5, 70.2, 68.6, 75);
        assertThat(names()).containsExactly("cpu_utilization:RAISED:WARNING");
        feed("host", MetricSpecs.CPU_UTILIZATION, 68.4, 69, 71, 69);
        assertThat(names()).containsExactly("cpu_utilization:RAISED:WARNING", "cpu_utilization:CLEARED:NONE",
                "cpu_utilization:RAISED:WARNING");
        HealthAlertEvent first = events.get(0);
        assertThat(first.subject()).isEqualTo("host");
        assertThat(first.value()).isEqualTo(70);
        assertThat(first.threshold()).isEqualTo(70);
        assertThat(first.previousLevel()).isEqualTo(AlertLevel.NONE);
        assertThat(first.at()).isEqualTo(java.time.Instant.parse("2026-01-01T00:00:02Z"));
        assertThat(events.get(1).threshold()).isEqualTo(70);
        assertThat(registry.get("qudag.resilience.health.alert.level").tag("subject", "host")
                .tag("metric", "cpu_utilization").gauge().value()).isEqualTo(1.0);
    }

    @Test
    void applicationP95JumpsStraightToEmergencyThenStepsDown() {
        feed("ep", MetricSpecs.RESPONSE_TIME_P95, 100, 2500, 2400, 1990, 1860, 990, 940, 400, 460);
        // hysteresis (1000-500)/10 = 50: 1990 is within 50 of 2000 (stays EMERGENCY), 1860 falls to CRITICAL,
        // 990 stays CRITICAL, 940 to WARNING, 460 stays NONE after 400 cleared
        assertThat(names()).containsExactly("response_time_p95:RAISED:EMERGENCY", "response_time_p95:LOWERED:CRITICAL",
                "response_time_p95:LOWERED:WARNING", "response_time_p95:CLEARED:NONE");
        assertThat(system.alerts()).isEmpty();
    }

    @Test
    void applicationSuccessRateIsLowerIsWorse() {
        feed("ep", MetricSpecs.REQUEST_SUCCESS_RATE, 1.0, 0.97, 0.975, 0.981, 0.94, 0.96, 0.9851);
        // hysteresis 0.003: 0.981 < 0.983 keeps WARNING; 0.96 > 0.953 lowers to WARNING; 0.9851 clears
        assertThat(names()).containsExactly("request_success_rate:RAISED:WARNING",
                "request_success_rate:RAISED:CRITICAL", "request_success_rate:LOWERED:WARNING",
                "request_success_rate:CLEARED:NONE");
    }

    @Test
    void businessGaugeAlertsAndIsListedAsActive() {
        feed("dag", MetricSpecs.DAG_OPERATIONS_PER_SECOND, 150, 90, 95, 99, 45);
        assertThat(names()).containsExactly("dag_operations_per_second:RAISED:WARNING",
                "dag_operations_per_second:RAISED:CRITICAL");
        assertThat(system.alerts()).singleElement().satisfies(a -> {
            assertThat(a.subject()).isEqualTo("dag");
            assertThat(a.level()).isEqualTo(AlertLevel.CRITICAL);
            assertThat(a.value()).isEqualTo(45);
            assertThat(a.threshold()).isEqualTo(50);
            assertThat(a.since()).isEqualTo(java.time.Instant.parse("2026-01-01T00:00:02Z"));
        });
    }

    @Test
    void aFailingListenerDoesNotReachTheCaller() {
        HealthMonitoringSystem s = HealthMonitoringSystem.builder().clock(clock).alertListener(e -> {
            throw new IllegalStateException("boom");
        }).alertListener(events::add).build();
        assertThat(s.record("x", MetricSpecs.CPU_UTILIZATION, 99)).isTrue();
        assertThat(names()).containsExactly("cpu_utilization:RAISED:EMERGENCY");
    }
}
