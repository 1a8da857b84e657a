package io.qudag.resilience.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.qudag.resilience.core.event.HealthActionEvent;
import io.qudag.resilience.core.health.HealthAction;
import io.qudag.resilience.core.health.HealthCategory;
import io.qudag.resilience.core.spi.HealthTrendSignal;
import io.qudag.resilience.health.source.SystemMetricSources;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class CompositeScoreTest {

    private final MutableClock clock = new MutableClock();
    private final List<HealthActionEvent> actions = new CopyOnWriteArrayList<>();
    private final List<HealthActionEvent> optimisations = new CopyOnWriteArrayList<>();
    private final List<HealthActionEvent> emergencies = new CopyOnWriteArrayList<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private HealthMonitoringSystem system() {
        return HealthMonitoringSystem.builder().clock(clock).meterRegistry(registry).actionListener(actions::add)
                .onAction(HealthAction.PERFORMANCE_OPTIMIZATION, optimisations::add)
                .onAction(HealthAction.EMERGENCY_RESPONSE, emergencies::add).build();
    }

    @Test
    void beforeAnyDataTheStateIsUnknownNeverNaN() {
        HealthMonitoringSystem s = system();
        CompositeHealth h = s.health("nobody");
        assertThat(h.status()).isEqualTo(HealthStatus.UNKNOWN);
        assertThat(h.score()).isEmpty();
        assertThat(s.predict("nobody")).isEmpty();
        s.addSource("host", SystemMetricSources.cpu(() -> 0.0)); // the first reading is discarded: still no data
        s.collect();
        assertThat(s.health("host").status()).isEqualTo(HealthStatus.UNKNOWN);
        assertThat(registry.get("qudag.resilience.health.status").tag("subject", "host").gauge().value()).isZero();
        assertThat(s.health("host").toString()).doesNotContain("NaN");
    }

    @Test
    void dimensionsAreWeightedBySpecWeights() {
        HealthMonitoringSystem s = system();
        // system: cpu 35% -> 100 - 25*0.5 = 87.5; application: p95 at warning 500 -> 75; business: ops 200 -> 100
        s.record("ep", MetricSpecs.CPU_UTILIZATION, 35);
        s.record("ep", MetricSpecs.RESPONSE_TIME_P95, 500);
        s.record("ep", MetricSpecs.DAG_OPERATIONS_PER_SECOND, 200);
        CompositeHealth h = s.evaluate().get(0);
        assertThat(h.dimensions().get(HealthCategory.SYSTEM)).isCloseTo(87.5, within(1e-9));
        assertThat(h.dimensions().get(HealthCategory.APPLICATION)).isCloseTo(75.0, within(1e-9));
        assertThat(h.dimensions().get(HealthCategory.BUSINESS)).isCloseTo(100.0, within(1e-9));
        double expected = (0.3 * 87.5 + 0.4 * 75 + 0.2 * 100) / 0.9; // no predictive data yet
        assertThat(h.score().getAsDouble()).isCloseTo(expected, within(1e-9));
        assertThat(h.status()).isEqualTo(HealthStatus.GOOD);
        assertThat(registry.get("qudag.resilience.health.status").tag("subject", "ep").gauge().value())
                .isEqualTo(HealthStatus.GOOD.ordinal());
        assertThat(registry.get("qudag.resilience.health.score").tag("subject", "ep").gauge().value())
                .isCloseTo(expected, within(1e-9));
    }

    @Test
    void emergencyThresholdScoresZeroAndEveryActionFiresOnceThenClears() {
        HealthMonitoringSystem s = system();
        s.addSource("ep", SystemMetricSources.gauge(MetricSpecs.RESPONSE_TIME_P95, () -> p95[0]));
        p95[0] = 100;
        s.collect();
        assertThat(s.collectionInterval("ep", MetricSpecs.RESPONSE_TIME_P95)).hasValue(Duration.ofSeconds(1));
        assertThat(s.health("ep").score().getAsDouble()).isCloseTo(95.0, within(1e-9));

        clock.advance(Duration.ofSeconds(61)); // the window forgets the good sample
        p95[0] = 2500;
        s.collect();
        assertThat(s.health("ep").score().getAsDouble()).isZero();
        assertThat(s.health("ep").status()).isEqualTo(HealthStatus.CRITICAL);
        assertThat(actions).extracting(e -> e.action() + ":" + e.kind()).containsExactly(
                "INCREASE_MONITORING:ENTERED", "PERFORMANCE_OPTIMIZATION:ENTERED", "ACTIVATE_FAILOVER:ENTERED",
                "EMERGENCY_RESPONSE:ENTERED");
        assertThat(optimisations).hasSize(1);
        assertThat(emergencies).hasSize(1);
        // below 75 the interval shortens; below 40 failover is requested through core's trend signal
        assertThat(s.collectionInterval("ep", MetricSpecs.RESPONSE_TIME_P95)).hasValue(Duration.ofMillis(500));
        HealthTrendSignal signal = s;
        assertThat(signal.predict("ep")).hasValueSatisfying(p -> {
            assertThat(p.failureProbability()).isEqualTo(1.0);
            assertThat(p.reason()).contains("failover threshold");
        });
        clock.advance(Duration.ofMillis(500));
        s.collect();
        assertThat(actions).hasSize(4); // still due: no repeat

        clock.advance(Duration.ofSeconds(61));
        p95[0] = 100;
        s.collect();
        assertThat(s.health("ep").score().getAsDouble()).isGreaterThan(75);
        assertThat(actions).hasSize(8);
        assertThat(actions.subList(4, 8)).allMatch(e -> e.kind() == HealthActionEvent.Kind.CLEARED);
        assertThat(s.predict("ep")).isEmpty();
        assertThat(s.collectionInterval("ep", MetricSpecs.RESPONSE_TIME_P95)).hasValue(Duration.ofSeconds(1));
    }

    private final double[] p95 = {0};

    @Test
    void aScoreRecoversWithinOneWindowAfterAShortOutage() {
        HealthMonitoringSystem s = system();
        for (int t = 0; t < 30; t++) {
            clock.advance(Duration.ofSeconds(1));
            s.record("ep", MetricSpecs.REQUEST_SUCCESS_RATE, 1.0);
            s.record("ep", MetricSpecs.RESPONSE_TIME_P95, 80);
        }
        double before = s.evaluate().get(0).score().getAsDouble();
        clock.advance(Duration.ofSeconds(1));
        s.record("ep", MetricSpecs.REQUEST_SUCCESS_RATE, 0.0); // one second of failures: the kill
        double dip = s.evaluate().get(0).score().getAsDouble();
        StringBuilder curve = new StringBuilder();
        double after = 0;
        for (int t = 0; t <= 61; t++) {
            clock.advance(Duration.ofSeconds(1));
            s.record("ep", MetricSpecs.REQUEST_SUCCESS_RATE, 1.0);
            s.record("ep", MetricSpecs.RESPONSE_TIME_P95, 80);
            after = s.evaluate().get(0).score().getAsDouble();
            curve.append(Math.round(after)).append(' ');
        }
        System.out.printf("score before %.1f, after the kill %.1f, then each second: %s%n", before, dip, curve);
        assertThat(before).isGreaterThan(90);
        assertThat(dip).as("curve: %s", curve).isLessThan(before);
        assertThat(curve.toString().trim().split(" ")).as("never below 75 while recovering: %s", curve)
                .allSatisfy(v -> assertThat(Double.parseDouble(v)).isGreaterThanOrEqualTo(75));
        assertThat(after).as("one window (60 s) later: %s", curve).isGreaterThan(90);
    }
}
