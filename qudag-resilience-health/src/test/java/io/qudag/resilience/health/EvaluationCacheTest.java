package io.qudag.resilience.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link HealthMonitoringSystem#evaluate()} skips the full evaluation of a subject whose inputs did not
 * change (no new sample, same bucket of the score windows, no predictive risk): such a subject keeps its
 * last result, one with new samples is re-evaluated, and time-based windows still expire.
 */
class EvaluationCacheTest {

    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    /** 25 steady samples per subject, 1 s apart (forecasters ready, no trend, risk 0); clock ends at 25 s. */
    private static HealthMonitoringSystem warmedUp(MutableClock clock, String... subjects) {
        HealthMonitoringSystem h = HealthMonitoringSystem.builder().clock(clock).scoreWindow(Duration.ofSeconds(60))
                .build();
        for (int i = 0; i < 25; i++) {
            clock.advance(Duration.ofSeconds(1));
            for (String s : subjects) {
                h.record(s, MetricSpecs.CPU_UTILIZATION, 40);
                h.record(s, MetricSpecs.RESPONSE_TIME_P95, 200);
            }
        }
        return h;
    }

    @Test
    void subjectWithNewSamplesIsReevaluatedOtherKeepsItsLastResult() {
        MutableClock clock = new MutableClock(START);
        HealthMonitoringSystem h = warmedUp(clock, "a", "b");
        List<CompositeHealth> first = h.evaluate();
        CompositeHealth a1 = first.get(0);
        CompositeHealth b1 = first.get(1);
        assertThat(a1.metrics()).containsKeys(MetricSpecs.CPU_UTILIZATION, HealthMonitoringSystem.PREDICTIVE_RISK);

        h.record("a", MetricSpecs.CPU_UTILIZATION, 96); // past the emergency threshold
        List<CompositeHealth> second = h.evaluate();
        assertThat(second.get(0).score().getAsDouble()).isLessThan(a1.score().getAsDouble());
        assertThat(second.get(0).metrics().get(MetricSpecs.CPU_UTILIZATION))
                .isLessThan(a1.metrics().get(MetricSpecs.CPU_UTILIZATION));
        assertThat(second.get(1)).isSameAs(b1); // same clock, nothing new: the last result itself
        assertThat(h.health("b")).isSameAs(b1);

        // a moved clock within the windows' bucket (6 s): same scores, stamped with the new time
        clock.advance(Duration.ofMillis(1));
        CompositeHealth b3 = h.evaluate().get(1);
        assertThat(b3).isNotSameAs(b1);
        assertThat(b3.at()).isEqualTo(clock.instant());
        assertThat(b3.score()).isEqualTo(b1.score());
        assertThat(b3.metrics()).isEqualTo(b1.metrics());
        assertThat(b3.dimensions()).isEqualTo(b1.dimensions());
    }

    @Test
    void timeBasedWindowsStillExpireWithoutNewSamples() {
        MutableClock clock = new MutableClock(START);
        HealthMonitoringSystem h = warmedUp(clock, "b");
        CompositeHealth before = h.evaluate().get(0);
        assertThat(before.metrics()).containsKey(MetricSpecs.CPU_UTILIZATION);
        assertThat(h.evaluate().get(0)).isSameAs(before);

        clock.advance(Duration.ofSeconds(61)); // every sample's bucket has left the 60 s window
        CompositeHealth after = h.evaluate().get(0);
        assertThat(after.metrics()).containsOnlyKeys(HealthMonitoringSystem.PREDICTIVE_RISK);
        assertThat(after.at()).isEqualTo(clock.instant());
    }

    @Test
    void evaluatingOftenGivesTheSameScoresAsEvaluatingOnce() {
        MutableClock often = new MutableClock(START);
        MutableClock once = new MutableClock(START);
        HealthMonitoringSystem x = warmedUp(often, "a", "b");
        HealthMonitoringSystem y = warmedUp(once, "a", "b");
        for (int step = 0; step < 40; step++) {
            for (HealthMonitoringSystem h : List.of(x, y)) {
                h.record("a", MetricSpecs.RESPONSE_TIME_P95, 200 + (step % 3));
            }
            for (int k = 0; k < 3; k++) {
                x.evaluate(); // b is served from the cache in most of these
            }
            often.advance(Duration.ofMillis(1500));
            once.advance(Duration.ofMillis(1500));
        }
        List<CompositeHealth> a = x.evaluate();
        List<CompositeHealth> b = y.evaluate();
        for (int i = 0; i < 2; i++) {
            assertThat(a.get(i).score()).isEqualTo(b.get(i).score());
            assertThat(a.get(i).metrics()).isEqualTo(b.get(i).metrics());
            assertThat(a.get(i).at()).isEqualTo(b.get(i).at());
        }
    }

    /**
     * The skipping is invisible: over seeded random runs (idle subjects, steady ones, ones whose latency
     * climbs towards its threshold so that predictive risk turns non-zero, clock steps inside and across
     * the windows' buckets), a system that skips unchanged subjects gives exactly the results of one that
     * evaluates every subject in full.
     */
    @Test
    void skippingUnchangedSubjectsGivesExactlyTheResultsOfFullEvaluations() {
        long[] steps = {0, 1, 400, 2_000, 6_000, 13_000};
        for (long seed = 1; seed <= 12; seed++) {
            Random random = new Random(seed);
            MutableClock clock = new MutableClock(START);
            HealthMonitoringSystem cached = HealthMonitoringSystem.builder().clock(clock)
                    .scoreWindow(Duration.ofSeconds(60)).build();
            HealthMonitoringSystem full = HealthMonitoringSystem.builder().clock(clock)
                    .scoreWindow(Duration.ofSeconds(60)).evaluationCache(false).build();
            double[] latency = {200, 200, 200};
            boolean sawRisk = false;
            for (int step = 0; step < 300; step++) {
                clock.advance(Duration.ofMillis(steps[random.nextInt(steps.length)]));
                for (int s = 0; s < 3; s++) {
                    int what = random.nextInt(4);
                    if (what == 0) {
                        continue; // idle this step
                    }
                    // from step 150 on, subject 0 climbs steadily towards its thresholds (500/1000/2000 ms)
                    latency[s] = s == 0 && step >= 150 ? Math.min(1_900, latency[s] + 12)
                            : what == 3 ? latency[s] * 1.08 + 15 : 200 + random.nextGaussian() * 5;
                    for (HealthMonitoringSystem h : List.of(cached, full)) {
                        h.record("s" + s, MetricSpecs.RESPONSE_TIME_P95, latency[s]);
                        h.record("s" + s, MetricSpecs.CPU_UTILIZATION, 40);
                    }
                }
                List<CompositeHealth> a = cached.evaluate();
                List<CompositeHealth> b = full.evaluate();
                Double risk = b.get(0).metrics().get(HealthMonitoringSystem.PREDICTIVE_RISK);
                sawRisk |= risk != null && risk < 100;
                assertThat(a).hasSameSizeAs(b);
                assertThat(cached.warnings()).as("seed " + seed + ", step " + step).isEqualTo(full.warnings());
                for (int i = 0; i < a.size(); i++) {
                    String where = "seed " + seed + ", step " + step + ", subject " + a.get(i).subject();
                    assertThat(a.get(i).score()).as(where).isEqualTo(b.get(i).score());
                    assertThat(a.get(i).status()).as(where).isEqualTo(b.get(i).status());
                    assertThat(a.get(i).metrics()).as(where).isEqualTo(b.get(i).metrics());
                    assertThat(a.get(i).dimensions()).as(where).isEqualTo(b.get(i).dimensions());
                    assertThat(a.get(i).at()).as(where).isEqualTo(b.get(i).at());
                    assertThat(cached.health(a.get(i).subject()).score()).as(where)
                            .isEqualTo(full.health(b.get(i).subject()).score());
                }
            }
            assertThat(sawRisk).as("seed " + seed + ": the climbing subject raised a predictive risk").isTrue();
        }
    }
}
