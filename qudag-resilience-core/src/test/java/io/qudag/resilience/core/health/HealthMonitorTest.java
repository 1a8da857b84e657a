package io.qudag.resilience.core.health;

import io.qudag.resilience.core.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.qudag.resilience.core.event.HealthActionEvent;
import io.qudag.resilience.core.event.HealthActionEvent.Kind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HealthMonitorTest {

    private static final Duration WINDOW = Duration.ofSeconds(10);

    private final MutableClock clock = new MutableClock();
    private final List<HealthActionEvent> events = new CopyOnWriteArrayList<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    /** One MEAN indicator "q" with threshold 100: value v scores 100 - v/4 up to 100, then 75 * (2 - v/100). */
    private static HealthModel singleIndicatorModel() {
        return HealthModel.builder()
                .indicator(HealthIndicator.builder("q").threshold(100).evaluationWindow(WINDOW).build())
                .categoryWeight(HealthCategory.APPLICATION, 1.0).build();
    }

    private HealthMonitor monitor() {
        return HealthMonitor.builder("endpoint-a", singleIndicatorModel()).clock(clock).meterRegistry(registry)
                .listener(events::add).build();
    }

    /** Lets all earlier samples expire, then records the one value that scores {@code target}. */
    private void setScore(HealthMonitor m, double target) {
        clock.advance(WINDOW);
        double value = target >= 75 ? (100 - target) * 4 : 100 * (2 - target / 75);
        m.record("q", value);
    }

    private List<String> eventNames() {
        return events.stream().map(e -> e.action() + ":" + e.kind()).toList();
    }

    private double actionCount(HealthAction a, Kind k) {
        return registry.get("qudag.resilience.health.actions").tag("subject", "endpoint-a")
                .tag("action", a.name()).tag("kind", k.name()).counter().count();
    }

    @Test
    void severalSamplesBelow75FireOneEnteredAndRecoveryFiresOneCleared() {
        HealthMonitor m = monitor();
        setScore(m, 95);
        assertThat(m.score().value()).isCloseTo(95, within(1e-9));
        assertThat(events).isEmpty();

        for (double s : new double[] {70, 65, 72, 74.9}) {
            setScore(m, s);
            assertThat(m.score().value()).isCloseTo(s, within(1e-9));
        }
        assertThat(eventNames()).containsExactly("INCREASE_MONITORING:ENTERED");
        HealthActionEvent entered = events.get(0);
        assertThat(entered.subject()).isEqualTo("endpoint-a");
        assertThat(entered.score()).isCloseTo(70, within(1e-9));
        assertThat(entered.previousScore()).isCloseTo(95, within(1e-9));
        assertThat(entered.at()).isEqualTo(clock.instant().minus(WINDOW.multipliedBy(3)));
        assertThat(m.activeActions()).containsExactly(HealthAction.INCREASE_MONITORING);

        setScore(m, 75); // exactly at the threshold: no longer below it
        m.score();
        setScore(m, 90);
        m.score();
        assertThat(eventNames()).containsExactly("INCREASE_MONITORING:ENTERED", "INCREASE_MONITORING:CLEARED");
        assertThat(m.activeActions()).isEmpty();
        assertThat(actionCount(HealthAction.INCREASE_MONITORING, Kind.ENTERED)).isEqualTo(1.0);
        assertThat(actionCount(HealthAction.INCREASE_MONITORING, Kind.CLEARED)).isEqualTo(1.0);
    }

    @Test
    void repeatedEvaluationOfTheSameSamplesDoesNotRefire() {
        HealthMonitor m = monitor();
        setScore(m, 50);
        for (int i = 0; i < 5; i++) {
            m.record("q", 100 * (2 - 50 / 75.0)); // more samples of the same badness
            m.score();
        }
        assertThat(eventNames()).containsExactly("INCREASE_MONITORING:ENTERED", "PERFORMANCE_OPTIMIZATION:ENTERED");
    }

    @Test
    void droppingBelow40FiresThe75_60And40ActionsOnceEach() {
        HealthMonitor m = monitor();
        setScore(m, 80);
        m.score();
        setScore(m, 30);
        m.score();
        setScore(m, 35);
        m.score();
        assertThat(eventNames()).containsExactly("INCREASE_MONITORING:ENTERED",
                "PERFORMANCE_OPTIMIZATION:ENTERED", "ACTIVATE_FAILOVER:ENTERED");
        assertThat(events).allSatisfy(e -> assertThat(e.score()).isCloseTo(30, within(1e-9)));

        setScore(m, 10);
        m.score();
        assertThat(eventNames()).hasSize(4).last().isEqualTo("EMERGENCY_RESPONSE:ENTERED");

        setScore(m, 95);
        m.score();
        assertThat(eventNames().subList(4, 8)).containsExactly("EMERGENCY_RESPONSE:CLEARED",
                "ACTIVATE_FAILOVER:CLEARED", "PERFORMANCE_OPTIMIZATION:CLEARED", "INCREASE_MONITORING:CLEARED");
        for (HealthAction a : HealthAction.values()) {
            assertThat(actionCount(a, Kind.ENTERED)).as("%s entered", a).isEqualTo(1.0);
            assertThat(actionCount(a, Kind.CLEARED)).as("%s cleared", a).isEqualTo(1.0);
        }
    }

    @Test
    void noDataGivesNaNScoreAndChangesNoActionState() {
        HealthMonitor m = monitor();
        HealthScore empty = m.score();
        assertThat(empty.hasData()).isFalse();
        assertThat(empty.value()).isNaN();
        assertThat(empty.grade()).isNull();

        setScore(m, 30);
        m.score();
        clock.advance(WINDOW); // everything expired
        assertThat(m.score().hasData()).isFalse();
        assertThat(m.activeActions()).contains(HealthAction.ACTIVATE_FAILOVER);
        assertThat(events).hasSize(3);
        assertThat(m.lastScoreIfAny()).isEmpty();
        assertThat(m.score().valueIfAny()).isEmpty();
    }

    @Test
    void scoreGaugeIsAbsentRatherThanNaNWithoutData() {
        HealthMonitor m = monitor();
        assertThat(registry.find("qudag.resilience.health.score").gauges()).isEmpty();
        m.score(); // no data yet
        assertThat(registry.find("qudag.resilience.health.score").gauges()).isEmpty();
        assertThat(m.lastScoreIfAny()).isEmpty();

        setScore(m, 80);
        HealthScore scored = m.score();
        assertThat(scored.valueIfAny()).hasValueCloseTo(80.0, within(1e-9));
        assertThat(registry.get("qudag.resilience.health.score").tag("subject", "endpoint-a").gauge().value())
                .isCloseTo(80, within(1e-9));

        clock.advance(WINDOW); // the sample expires: no score, so no gauge instead of NaN
        assertThat(m.score().hasData()).isFalse();
        assertThat(registry.find("qudag.resilience.health.score").gauges()).isEmpty();

        setScore(m, 60); // data again: the gauge comes back with the new score
        m.score();
        assertThat(registry.get("qudag.resilience.health.score").tag("subject", "endpoint-a").gauge().value())
                .isCloseTo(60, within(1e-9));
        assertThat(m.lastScoreIfAny()).hasValueCloseTo(60.0, within(1e-9));
        m.close();
        assertThat(registry.find("qudag.resilience.health.score").gauges()).isEmpty();
        m.score(); // scoring after close registers nothing
        assertThat(registry.find("qudag.resilience.health.score").gauges()).isEmpty();
    }

    @Test
    void gaugesShowLastScores() {
        HealthMonitor m = monitor();
        setScore(m, 87.5);
        m.score();
        assertThat(registry.get("qudag.resilience.health.score").tag("subject", "endpoint-a").gauge().value())
                .isCloseTo(87.5, within(1e-9));
        assertThat(registry.get("qudag.resilience.health.indicator.score").tag("subject", "endpoint-a")
                .tag("indicator", "q").gauge().value()).isCloseTo(87.5, within(1e-9));
        m.close();
        assertThat(registry.find("qudag.resilience.health.score").gauges()).isEmpty();
        assertThat(registry.find("qudag.resilience.health.actions").counters()).isEmpty();
    }

    @Test
    void overriddenActionThresholdsAreUsed() {
        HealthMonitor m = HealthMonitor.builder("endpoint-a", singleIndicatorModel()).clock(clock)
                .actionThreshold(HealthAction.INCREASE_MONITORING, 90)
                .actionThresholds(Map.of(HealthAction.ACTIVATE_FAILOVER, 70.0))
                .listener(events::add).build();
        setScore(m, 80);
        m.score();
        assertThat(eventNames()).containsExactly("INCREASE_MONITORING:ENTERED");
        setScore(m, 65);
        m.score();
        assertThat(eventNames()).containsExactly("INCREASE_MONITORING:ENTERED", "ACTIVATE_FAILOVER:ENTERED");
        assertThat(m.actionThresholds()).containsEntry(HealthAction.PERFORMANCE_OPTIMIZATION, 60.0);
    }

    @Test
    void aFailingListenerDoesNotStopTheOthers() {
        HealthMonitor m = HealthMonitor.builder("endpoint-a", singleIndicatorModel()).clock(clock)
                .listener(e -> {
                    throw new IllegalStateException("boom");
                })
                .listener(events::add).build();
        setScore(m, 70);
        m.score();
        assertThat(eventNames()).containsExactly("INCREASE_MONITORING:ENTERED");
    }

    @Test
    void primaryPresetScoresRecordedCalls() {
        HealthMonitor m = HealthMonitor.builder("mcp-1", HealthIndicators.primary()).clock(clock).build();
        for (int i = 0; i < 100; i++) {
            m.record("response_time", 100.0);
            m.record("error_rate", i < 2 ? 1.0 : 0.0);       // 2% errors
            m.record("connection_success_rate", 1.0);
        }
        HealthScore s = m.score();
        // response_time p95 100 ms -> 95; error_rate 0.02 -> 100 - 25 * 0.4 = 90; success 1.0 -> 100
        assertThat(s.indicatorScores().get("response_time")).isCloseTo(95.0, within(1e-9));
        assertThat(s.indicatorScores().get("error_rate")).isCloseTo(90.0, within(1e-9));
        assertThat(s.indicatorScores().get("connection_success_rate")).isEqualTo(100.0);
        assertThat(s.value()).isCloseTo(0.3 * 95 + 0.4 * 90 + 0.3 * 100, within(1e-9));
        assertThat(s.grade()).isEqualTo(HealthGrade.EXCELLENT);
        assertThat(m.snapshot("response_time").count()).isEqualTo(100);

        clock.advance(Duration.ofSeconds(30)); // response_time (30 s window) expires, the others stay
        HealthScore later = m.score();
        assertThat(later.indicatorScores()).doesNotContainKey("response_time");
        assertThat(later.value()).isCloseTo((0.4 * 90 + 0.3 * 100) / 0.7, within(1e-9));
    }

    @Test
    void concurrentRecordingThroughTheMonitorAddsUp() throws Exception {
        HealthMonitor m = monitor();
        int threads = 6;
        int perThread = 10_000;
        runConcurrently(threads, () -> {
            for (int i = 0; i < perThread; i++) {
                m.record("q", 20.0);
            }
        });
        WindowSnapshot s = m.snapshot("q");
        assertThat(s.count()).isEqualTo((long) threads * perThread);
        assertThat(s.mean()).isEqualTo(20.0);
        assertThat(m.score().value()).isCloseTo(95.0, within(1e-9));
    }

    @Test
    void concurrentEvaluationsFireEachCrossingOnce() throws Exception {
        HealthMonitor m = monitor();
        setScore(m, 30);
        runConcurrently(6, () -> {
            for (int i = 0; i < 200; i++) {
                m.score();
            }
        });
        // threads race for the crossings, so the order across actions is not fixed; the count is
        assertThat(eventNames()).containsExactlyInAnyOrder("INCREASE_MONITORING:ENTERED",
                "PERFORMANCE_OPTIMIZATION:ENTERED", "ACTIVATE_FAILOVER:ENTERED");
    }

    /** Starts {@code threads} copies of {@code task} at once (latch) and waits for all of them. */
    private static void runConcurrently(int threads, Runnable task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    task.run();
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void unknownMetricIsRejected() {
        HealthMonitor m = monitor();
        assertThatThrownBy(() -> m.record("nope", 1.0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'nope'");
        assertThatThrownBy(() -> m.snapshot("nope")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void badConfigurationNamesFieldAndValue() {
        HealthModel model = singleIndicatorModel();
        assertThatThrownBy(() -> HealthMonitor.builder(" ", model).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("subject must not be blank, was ' '");
        assertThatThrownBy(() -> HealthMonitor.builder("s", null).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("model must not be null, was null");
        assertThatThrownBy(() -> HealthMonitor.builder("s", model).clock(null).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("clock must not be null, was null");
        assertThatThrownBy(() -> HealthMonitor.builder("s", model).bucketsPerWindow(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("bucketsPerWindow must be >= 1, was 0");
        assertThatThrownBy(() -> HealthMonitor.builder("s", model)
                        .actionThreshold(HealthAction.ACTIVATE_FAILOVER, 120).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("actionThresholds.ACTIVATE_FAILOVER must be in [0.0, 100.0], was 120.0");
        assertThatThrownBy(() -> HealthMonitor.builder("s", model)
                        .actionThreshold(HealthAction.EMERGENCY_RESPONSE, Double.NaN).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("actionThresholds.EMERGENCY_RESPONSE must be a finite number, was NaN");
        Map<HealthAction, Double> withNull = new java.util.HashMap<>();
        withNull.put(HealthAction.PERFORMANCE_OPTIMIZATION, null);
        assertThatThrownBy(() -> HealthMonitor.builder("s", model).actionThresholds(withNull).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("actionThresholds.PERFORMANCE_OPTIMIZATION must not be null, was null");
        assertThatThrownBy(() -> HealthMonitor.builder("s", model).listener(null).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("listener must not be null, was null");
        assertThatThrownBy(() -> HealthMonitor.builder("s", model).bucketsPerWindow(20_000).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bucketsPerWindow").hasMessageContaining("20000");
    }
}
