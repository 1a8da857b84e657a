package io.qudag.resilience.core.health;

import io.qudag.resilience.core.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SlidingTimeWindowTest {

    // Start exactly on a bucket boundary so that expiry times are easy to state.
    private final MutableClock clock = new MutableClock(1_700_000_000_000L);

    @Test
    void sampleExpiresWhenTheWindowHasPassedUnderTheInjectedClock() {
        SlidingTimeWindow window = SlidingTimeWindow.of(Duration.ofSeconds(10), 10, clock);
        window.record(7.0);

        clock.advance(Duration.ofMillis(9_999));
        assertThat(window.snapshot().count()).isEqualTo(1);
        assertThat(window.snapshot().mean()).isEqualTo(7.0);

        clock.advanceMillis(1);
        WindowSnapshot expired = window.snapshot();
        assertThat(expired.count()).isZero();
        assertThat(expired.isEmpty()).isTrue();
        assertThat(expired.mean()).isNaN();
        assertThat(expired.max()).isNaN();
        assertThat(expired.ratePerSecond()).isZero();
    }

    @Test
    void oldBucketsExpireOneByOneWhileNewerOnesStayLive() {
        SlidingTimeWindow window = SlidingTimeWindow.of(Duration.ofSeconds(10), 10, clock);
        for (int second = 0; second < 10; second++) {
            window.record(second); // one sample per 1 s bucket: 0, 1, ..., 9
            clock.advance(Duration.ofSeconds(1));
        }
        // now = 10 s: the bucket of the sample 0 has expired, 1..9 are live
        WindowSnapshot s = window.snapshot();
        assertThat(s.count()).isEqualTo(9);
        assertThat(s.mean()).isEqualTo(5.0);
        assertThat(s.max()).isEqualTo(9.0);

        clock.advance(Duration.ofSeconds(5)); // now = 15 s: 6..9 live
        s = window.snapshot();
        assertThat(s.count()).isEqualTo(4);
        assertThat(s.mean()).isEqualTo(7.5);
    }

    @Test
    void aRotatedBucketForgetsItsOldSamples() {
        SlidingTimeWindow window = SlidingTimeWindow.of(Duration.ofSeconds(4), 4, clock);
        window.record(100.0);
        clock.advance(Duration.ofSeconds(4)); // same ring slot, next lap
        window.record(1.0);
        WindowSnapshot s = window.snapshot();
        assertThat(s.count()).isEqualTo(1);
        assertThat(s.max()).isEqualTo(1.0);
        assertThat(s.p95()).isEqualTo(1.0);
    }

    @Test
    void givesMeanP95MaxAndRate() {
        SlidingTimeWindow window = SlidingTimeWindow.of(Duration.ofSeconds(10), 10, clock);
        for (int i = 1; i <= 100; i++) {
            window.record(i); // 1..100 ms
        }
        WindowSnapshot s = window.snapshot();
        assertThat(s.count()).isEqualTo(100);
        assertThat(s.mean()).isEqualTo(50.5);
        assertThat(s.max()).isEqualTo(100.0);
        assertThat(s.p95()).isCloseTo(95.0, withinPercentage(1.0));
        assertThat(s.ratePerSecond()).isEqualTo(10.0); // 100 samples over 10 s
        assertThat(s.value(IndicatorStatistic.MEAN)).isEqualTo(50.5);
        assertThat(s.value(IndicatorStatistic.P95)).isEqualTo(s.p95());
        assertThat(s.value(IndicatorStatistic.MAX)).isEqualTo(100.0);
        assertThat(s.value(IndicatorStatistic.RATE_PER_SECOND)).isEqualTo(10.0);
        assertThat(s.value(IndicatorStatistic.COUNT)).isEqualTo(100.0);
    }

    @Test
    void liveValueEqualsTheSnapshotStatisticAndIsNaNWhenEmpty() {
        SlidingTimeWindow window = SlidingTimeWindow.of(Duration.ofSeconds(10), 10, clock);
        for (IndicatorStatistic st : IndicatorStatistic.values()) {
            assertThat(window.liveValue(st)).as("%s of an empty window", st).isNaN();
        }
        java.util.Random random = new java.util.Random(7);
        for (int step = 0; step < 40; step++) {
            for (int i = random.nextInt(5); i > 0; i--) {
                window.record(random.nextDouble() * 300);
            }
            clock.advance(Duration.ofMillis(700));
            WindowSnapshot s = window.snapshot();
            for (IndicatorStatistic st : IndicatorStatistic.values()) {
                if (s.isEmpty()) {
                    assertThat(window.liveValue(st)).as("%s at step %d", st, step).isNaN();
                } else {
                    assertThat(window.liveValue(st)).as("%s at step %d", st, step).isEqualTo(s.value(st));
                }
            }
        }
        clock.advance(Duration.ofSeconds(10)); // all expired
        assertThat(window.liveValue(IndicatorStatistic.COUNT)).isNaN();
        assertThat(window.snapshot()).isEqualTo(WindowSnapshot.EMPTY);
    }

    @Test
    void p95MergesAllLiveBucketsAndIgnoresExpiredOnes() {
        SlidingTimeWindow window = SlidingTimeWindow.of(Duration.ofSeconds(10), 10, clock);
        for (int i = 0; i < 50; i++) {
            window.record(1000.0); // will expire
        }
        clock.advance(Duration.ofSeconds(5));
        for (int i = 1; i <= 100; i++) {
            window.record(i);
        }
        assertThat(window.snapshot().p95()).isGreaterThanOrEqualTo(1000.0 * 0.99);
        clock.advance(Duration.ofSeconds(5));
        WindowSnapshot s = window.snapshot();
        assertThat(s.count()).isEqualTo(100);
        assertThat(s.p95()).isCloseTo(95.0, withinPercentage(1.0));
        assertThat(s.max()).isEqualTo(100.0);
    }

    @Test
    void meanOfZeroOneSamplesIsARatio() {
        SlidingTimeWindow window = SlidingTimeWindow.of(Duration.ofSeconds(60), 6, clock, false);
        for (int i = 0; i < 20; i++) {
            window.record(i % 4 == 0 ? 1.0 : 0.0);
        }
        WindowSnapshot s = window.snapshot();
        assertThat(s.mean()).isEqualTo(0.25);
        assertThat(s.p95()).isNaN(); // not tracked
        assertThat(window.tracksPercentiles()).isFalse();
    }

    @Test
    void concurrentRecordingFromSeveralThreadsAddsUp() throws Exception {
        SlidingTimeWindow window = SlidingTimeWindow.of(Duration.ofSeconds(10), 10, clock);
        int threads = 8;
        int perThread = 20_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        window.record(id + 1); // thread t records value t+1
                        if (i % 5_000 == 4_999 && id == 0) {
                            clock.advanceMillis(1_000); // rotate buckets while others record
                        }
                    }
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
        WindowSnapshot s = window.snapshot();
        long total = (long) threads * perThread;
        assertThat(s.count()).isEqualTo(total);
        // mean of equal shares of 1..8 is 4.5
        assertThat(s.mean()).isCloseTo(4.5, within(1e-9));
        assertThat(s.max()).isEqualTo(8.0);
    }

    @Test
    void valuesBeyondTheHistogramRangeStillCountForCountMeanAndMax() {
        SlidingTimeWindow window = SlidingTimeWindow.of(Duration.ofSeconds(10), 10, clock);
        window.record(1e-9);
        window.record(1e12); // 21 decades apart: more than HdrHistogram can hold in one histogram
        clock.advance(Duration.ofSeconds(1));
        window.record(Double.MIN_VALUE);
        window.record(1e300);
        WindowSnapshot s = window.snapshot();
        assertThat(s.count()).isEqualTo(4);
        assertThat(s.max()).isEqualTo(1e300);
        assertThat(s.mean()).isEqualTo((1e-9 + 1e12 + Double.MIN_VALUE + 1e300) / 4);
        assertThat(s.p95()).isNotNaN().isLessThanOrEqualTo(s.max());
    }

    @Test
    void rejectsBadValues() {
        SlidingTimeWindow window = SlidingTimeWindow.of(Duration.ofSeconds(1), 1, clock);
        assertThatThrownBy(() -> window.record(-1.0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("value").hasMessageContaining("-1.0");
        assertThatThrownBy(() -> window.record(Double.NaN)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NaN");
        assertThatThrownBy(() -> window.record(Double.POSITIVE_INFINITY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Infinity");
        window.record(-0.0);
        assertThat(window.snapshot().max()).isEqualTo(0.0);
    }

    @Test
    void badConfigurationNamesFieldAndValue() {
        assertThatThrownBy(() -> SlidingTimeWindow.of(Duration.ZERO, 10, clock))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("window must be > 0, was PT0S");
        assertThatThrownBy(() -> SlidingTimeWindow.of(Duration.ofSeconds(-1), 10, clock))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("window must be > 0, was PT-1S");
        assertThatThrownBy(() -> SlidingTimeWindow.of(Duration.ofSeconds(10), 0, clock))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("buckets must be >= 1, was 0");
        assertThatThrownBy(() -> SlidingTimeWindow.of(Duration.ofMillis(5), 10, clock))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("window").hasMessageContaining("PT0.005S");
        assertThatThrownBy(() -> SlidingTimeWindow.of(Duration.ofSeconds(1), 1, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("clock must not be null, was null");
    }

    @Test
    void aClockSteppedBackDoesNotLeaveTheWindowEmptyUntilItCatchesUp() {
        SlidingTimeWindow window = SlidingTimeWindow.of(Duration.ofSeconds(60), 60, clock);
        for (int i = 0; i < 60; i++) {
            window.record(1.0);
            clock.advance(Duration.ofSeconds(1));
        }
        clock.advance(Duration.ofMinutes(-10));
        for (int i = 0; i < 60; i++) {
            window.record(2.0);
            clock.advance(Duration.ofSeconds(1));
        }
        clock.advance(Duration.ofMillis(-1));
        assertThat(window.snapshot().count()).as("the samples after the step").isEqualTo(60);
        assertThat(window.snapshot().mean()).isEqualTo(2.0);
    }
}
