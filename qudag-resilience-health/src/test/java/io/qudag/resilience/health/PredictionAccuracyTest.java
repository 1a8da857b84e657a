package io.qudag.resilience.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.qudag.resilience.health.predict.ConnectionLeakDetector;
import io.qudag.resilience.health.predict.GcHeapListener;
import io.qudag.resilience.health.predict.HoltForecaster;
import io.qudag.resilience.health.predict.HoltWintersForecaster;
import io.qudag.resilience.health.predict.IsolationForest;
import io.qudag.resilience.health.predict.IsolationForestDetector;
import io.qudag.resilience.health.predict.MemoryLeakDetector;
import io.qudag.resilience.health.predict.PageHinkleyDetector;
import io.qudag.resilience.health.predict.RobustZScoreDetector;
import io.qudag.resilience.health.spi.AnomalyDetector;
import java.time.Clock;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Accuracy of the predictive models on seeded synthetic series. */
class PredictionAccuracyTest {

    private static final double MEAN = 200;
    private static final double SIGMA = 10;

    /** Samples after the step until the first flag; -1 when never flagged. */
    private static int stepDelay(AnomalyDetector d, long seed, double step, int before, int after) {
        Random r = new Random(seed);
        for (int i = 0; i < before; i++) {
            d.update(MEAN + SIGMA * r.nextGaussian());
        }
        for (int i = 0; i < after; i++) {
            if (d.update(MEAN + step + SIGMA * r.nextGaussian())) {
                return i + 1;
            }
        }
        return -1;
    }

    private static double falsePositiveRate(AnomalyDetector d, long seed, int n) {
        Random r = new Random(seed);
        int flags = 0;
        for (int i = 0; i < n; i++) {
            if (d.update(MEAN + SIGMA * r.nextGaussian())) {
                flags++;
            }
        }
        return (double) flags / n;
    }

    @Test
    void robustZScoreFlagsAThreeSigmaStepWithinThreeSamples() {
        for (long seed = 1; seed <= 40; seed++) {
            int delay = stepDelay(RobustZScoreDetector.defaults(), seed, 3 * SIGMA, 500, 10);
            assertThat(delay).as("seed %d", seed).isBetween(1, 3);
        }
    }

    @Test
    void robustZScoreFalsePositivesOnStationaryNoiseAtMostOnePercent() {
        for (long seed = 1; seed <= 10; seed++) {
            double rate = falsePositiveRate(RobustZScoreDetector.defaults(), seed, 10_000);
            assertThat(rate).as("seed %d", seed).isLessThanOrEqualTo(0.01);
        }
    }

    @Test
    void isolationForestIsDeterministicAndSeparatesOutliers() {
        Random r = new Random(3);
        double[][] data = new double[512][];
        for (int i = 0; i < data.length; i++) {
            data[i] = new double[] {r.nextGaussian(), r.nextGaussian()};
        }
        IsolationForest a = IsolationForest.fit(data, 100, 256, 11);
        IsolationForest b = IsolationForest.fit(data, 100, 256, 11);
        double[] outlier = {6, -6};
        double[] normal = {0.1, -0.2};
        assertThat(a.score(outlier)).isEqualTo(b.score(outlier));
        assertThat(a.score(outlier)).isGreaterThan(0.7);
        assertThat(a.score(normal)).isLessThan(0.5);
    }

    @Test
    void isolationForestLeavesAboveTheDepthLimitScoreTheSameWhateverTheInput() {
        // equal points cannot be split: every tree is one leaf at depth 0 (padded to the depth limit 2),
        // so E[h] = c(4) and the score is 2^-1 for any input, NaN and infinities included; 7 trees also
        // exercise the trees left over after the groups of four
        double[][] equal = {{3}, {3}, {3}, {3}};
        IsolationForest flat = IsolationForest.fit(equal, 7, 4, 1);
        for (double x : new double[] {3, -1e300, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN}) {
            assertThat(flat.score(new double[] {x})).as("score of %s", x).isEqualTo(0.5);
        }
        // two points: one split, two leaves of size 1 at depth 1, c(2) = 1: 2^-1 again
        IsolationForest split = IsolationForest.fit(new double[][] {{0}, {1}}, 5, 2, 1);
        assertThat(split.score(new double[] {-5})).isEqualTo(0.5);
        assertThat(split.score(new double[] {Double.NaN})).isEqualTo(0.5);
    }

    @Test
    void isolationForestDetectorFlagsSpikesWithFewFalsePositives() {
        IsolationForestDetector d = IsolationForestDetector.defaults();
        double rate = falsePositiveRate(d, 5, 10_000);
        assertThat(d.trained()).isTrue();
        assertThat(rate).isLessThanOrEqualTo(0.01);
        assertThat(d.update(MEAN + 8 * SIGMA)).isTrue();
        assertThat(d.lastScore()).isGreaterThan(0.7);
    }

    @Test
    void pageHinkleyFindsAThirtyPercentP95Regression() {
        for (long seed = 1; seed <= 10; seed++) {
            PageHinkleyDetector ph = PageHinkleyDetector.defaults();
            Random r = new Random(seed);
            double sigma = 0.05 * MEAN; // p95 noise of 5 %
            int falseAlarms = 0;
            for (int i = 0; i < 2_000; i++) {
                if (ph.update(MEAN + sigma * r.nextGaussian())) {
                    falseAlarms++;
                }
            }
            int delay = -1;
            for (int i = 0; i < 50 && delay < 0; i++) {
                if (ph.update(1.3 * MEAN + sigma * r.nextGaussian())) {
                    delay = i + 1;
                }
            }
            assertThat(falseAlarms).as("seed %d false alarms in 2,000 stationary samples", seed).isZero();
            assertThat(delay).as("seed %d", seed).isBetween(1, 5);
        }
    }

    @Test
    void holtForecastOfANoisyLinearTrendAtHorizonTenWithinTwoPercent() {
        for (long seed = 1; seed <= 10; seed++) {
            HoltForecaster holt = HoltForecaster.defaults();
            Random r = new Random(seed);
            int n = 300;
            for (int t = 0; t < n; t++) {
                holt.update(100 + 2.0 * t + 3 * r.nextGaussian());
            }
            double truth = 100 + 2.0 * (n - 1 + 10);
            assertThat(Math.abs(holt.forecast(10) - truth) / truth).as("seed %d", seed).isLessThanOrEqualTo(0.02);
            assertThat(holt.stepsToReach(truth)).isBetween(5.0, 15.0);
        }
    }

    @Test
    void holtWintersFollowsASeasonalSeries() {
        HoltWintersForecaster hw = new HoltWintersForecaster(0.2, 0.05, 0.3, 24);
        Random r = new Random(9);
        Supplier<Double> noise = () -> r.nextGaussian();
        int n = 24 * 20;
        for (int t = 0; t < n; t++) {
            hw.update(500 + 0.5 * t + 100 * Math.sin(2 * Math.PI * t / 24) + noise.get());
        }
        for (int h = 1; h <= 24; h++) {
            double truth = 500 + 0.5 * (n - 1 + h) + 100 * Math.sin(2 * Math.PI * (n - 1 + h) / 24);
            assertThat(Math.abs(hw.forecast(h) - truth) / truth).as("horizon %d", h).isLessThan(0.02);
        }
        HoltForecaster plain = HoltForecaster.defaults();
        Random r2 = new Random(9);
        for (int t = 0; t < n; t++) {
            plain.update(500 + 0.5 * t + 100 * Math.sin(2 * Math.PI * t / 24) + r2.nextGaussian());
        }
        double peak = 500 + 0.5 * (n - 1 + 6) + 100;
        assertThat(Math.abs(plain.forecast(6) - peak)).as("without a season the peak is missed")
                .isGreaterThan(Math.abs(hw.forecast(6) - peak) * 5);
    }

    @Test
    void aSteadyHeapLeakIsFlaggedLongBeforeTheLimit() {
        long limit = 1L << 30; // 1 GiB
        MemoryLeakDetector d = MemoryLeakDetector.forLimit(limit);
        Random r = new Random(4);
        double base = 200e6;
        double perMinute = 0.5e6;
        long t0 = 1_767_225_600_000L;
        long flaggedAt = -1;
        double heapAtFlag = 0;
        for (int i = 0; i < 4_000; i++) {
            long t = t0 + i * 30_000L; // one major GC every 30 s
            double heap = base + perMinute * i / 2 + 5e6 * r.nextGaussian();
            if (d.update(t, heap) && flaggedAt < 0) {
                flaggedAt = t;
                heapAtFlag = heap;
                break;
            }
        }
        assertThat(flaggedAt).isPositive();
        assertThat(heapAtFlag).as("flagged well before the limit").isLessThan(0.5 * limit);
        double trueMinutesLeft = (limit - heapAtFlag) / perMinute;
        assertThat((double) d.timeToLimit().orElseThrow().toMinutes()).isBetween(0.5 * trueMinutesLeft,
                1.5 * trueMinutesLeft);
        assertThat(d.bytesPerSecond()).isBetween(perMinute / 60 * 0.5, perMinute / 60 * 1.5);
    }

    @Test
    void aSawToothHeapWithoutLeakIsNotFlagged() {
        MemoryLeakDetector d = MemoryLeakDetector.forLimit(1L << 30);
        Random r = new Random(8);
        for (int i = 0; i < 2_000; i++) {
            assertThat(d.update(i * 30_000L, 300e6 + 5e6 * r.nextGaussian())).isFalse();
        }
    }

    @Test
    void gcNotificationsDeliverHeapAfterGc() {
        AtomicLong heap = new AtomicLong(-1);
        try (GcHeapListener l = GcHeapListener.register((at, used, gc) -> heap.set(used), Clock.systemUTC())) {
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                System.gc();
                return heap.get() > 0;
            });
        }
        assertThat(heap.get()).isLessThanOrEqualTo(Runtime.getRuntime().maxMemory());
    }

    @Test
    void connectionsThatOnlyGrowAreALeakButLoadThatMovesBothWaysIsNot() {
        ConnectionLeakDetector leak = ConnectionLeakDetector.defaults();
        Random r = new Random(2);
        boolean flagged = false;
        for (int i = 0; i < 60; i++) {
            flagged |= leak.update(100 + i + (r.nextInt(10) == 0 ? -1 : 0));
        }
        assertThat(flagged).isTrue();
        ConnectionLeakDetector busy = ConnectionLeakDetector.defaults();
        for (int i = 0; i < 2_000; i++) {
            assertThat(busy.update(100 + 30 * Math.sin(i / 2.0) + r.nextInt(5))).isFalse(); // cycles shorter than the window
        }
    }
}
