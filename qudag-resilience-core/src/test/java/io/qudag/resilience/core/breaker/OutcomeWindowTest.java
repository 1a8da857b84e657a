package io.qudag.resilience.core.breaker;

import static org.assertj.core.api.Assertions.assertThat;

import io.qudag.resilience.core.breaker.internal.OutcomeWindow;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class OutcomeWindowTest {

    private static long[] sum(OutcomeWindow w, long now) {
        long[] out = new long[3];
        w.sum(now, out);
        return out;
    }

    @Test
    void countsPerBucketAndForgetsBucketsOlderThanTheWindow() {
        OutcomeWindow w = new OutcomeWindow(60_000, 6, null); // 10 s buckets
        long t0 = 1_000_000_000L;
        w.record(t0, true, false);
        w.record(t0 + 5_000, false, true);
        w.record(t0 + 10_000, false, false);
        assertThat(sum(w, t0 + 10_000)).containsExactly(3, 1, 1);
        assertThat(sum(w, t0 + 59_999)).containsExactly(3, 1, 1);
        assertThat(sum(w, t0 + 60_000)).as("first bucket expired").containsExactly(1, 0, 0);
        // the ring slot of the first bucket is reused and reset, not added to
        w.record(t0 + 60_000, false, false);
        assertThat(sum(w, t0 + 60_000)).containsExactly(2, 0, 0);
        w.clear();
        assertThat(sum(w, t0 + 60_000)).containsExactly(0, 0, 0);
        w.record(t0 + 60_001, true, true);
        assertThat(sum(w, t0 + 60_001)).as("recording after clear is counted").containsExactly(1, 1, 1);
        // a clock that steps back lands in its own (older) bucket
        w.record(t0 + 50_000, false, false);
        assertThat(sum(w, t0 + 60_001)).containsExactly(2, 1, 1);
    }

    @Test
    void theCachedSumOfEarlierBucketsAlwaysEqualsANaiveCount() {
        OutcomeWindow w = new OutcomeWindow(60_000, 6, null); // 10 s buckets
        java.util.List<long[]> records = new java.util.ArrayList<>();
        java.util.Random random = new java.util.Random(42);
        long t = 1_000_000_000L;
        for (int i = 0; i < 3_000; i++) {
            t += random.nextInt(400);
            // mostly current readings, some late ones (under 30 s) that land in an earlier bucket
            long reading = random.nextInt(10) == 0 ? t - random.nextInt(30_000) : t;
            boolean failure = random.nextInt(4) == 0;
            boolean slow = random.nextInt(7) == 0;
            w.record(reading, failure, slow);
            records.add(new long[] {reading, failure ? 1 : 0, slow ? 1 : 0});
            long epoch = Math.floorDiv(t, 10_000L);
            long[] expected = new long[3];
            for (long[] r : records) {
                long e = Math.floorDiv(r[0], 10_000L);
                if (e <= epoch && e > epoch - 6) {
                    expected[0]++;
                    expected[1] += r[1];
                    expected[2] += r[2];
                }
            }
            assertThat(sum(w, t)).as("after %d records at %d", i + 1, t).isEqualTo(expected);
            assertThat(sum(w, t)).as("summed again, from the cache").isEqualTo(expected);
        }
    }

    @Test
    void aReadingOlderThanTheWindowIsDroppedNotAddedToTheBucketThatReplacedIt() {
        OutcomeWindow w = new OutcomeWindow(60_000, 6, null); // 10 s buckets
        long t0 = 1_000_000_000L;
        w.record(t0 + 60_000, false, false); // takes the ring slot t0's bucket had
        w.record(t0, true, true);
        assertThat(sum(w, t0 + 60_000)).as("the stale reading is not in the later bucket").containsExactly(1, 0, 0);
        w.record(t0 + 55_000, true, false); // a late reading from a slow thread, still in the window
        w.record(t0 + 60_001, false, false);
        w.record(t0 + 69_999, false, false);
        assertThat(sum(w, t0 + 69_999)).containsExactly(4, 1, 0);
        assertThat(sum(w, t0 + 115_000)).as("only the late reading's bucket has expired").containsExactly(3, 0, 0);
    }

    /**
     * clear() (a state change) racing a recording that moves the window to a new bucket: the window
     * must count what is recorded after clear() returns. The old in-place clear could leave the cursor
     * on a slot it had just emptied, blind for a whole bucket (~1% of these trials).
     */
    @Test
    void aRecordingRacingClearNeverLeavesTheWindowBlindAfterwards() throws Exception {
        int buckets = 4096;
        long width = 1_000;
        long now = (10L * buckets + buckets - 1) * width; // the last slot: the old clear() reached it last
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            for (int trial = 0; trial < 2_000; trial++) {
                OutcomeWindow w = new OutcomeWindow(width * buckets, buckets, null);
                CyclicBarrier go = new CyclicBarrier(2);
                Future<?> racing = other.submit(() -> {
                    go.await();
                    w.record(now, false, false);
                    return null;
                });
                go.await();
                w.clear();
                racing.get(10, TimeUnit.SECONDS);
                for (int i = 0; i < 100; i++) {
                    w.record(now, true, false);
                }
                assertThat(sum(w, now)[1]).as("failures counted after clear(), trial %d", trial).isEqualTo(100);
            }
        } finally {
            other.shutdownNow();
        }
    }

    @Test
    void withATimeSourceAReadingFromTheFutureIsTakenAsNowAndOneOlderThanTheWindowIsDropped() {
        long[] now = {1_000_000L};
        OutcomeWindow w = new OutcomeWindow(60_000, 6, () -> now[0]);
        w.record(now[0] + 3_600_000, true, false); // an hour ahead: not this window's time
        assertThat(sum(w, now[0])).as("counted now").containsExactly(1, 1, 0);
        w.record(now[0] - 60_000, true, true); // ended a whole window ago
        assertThat(sum(w, now[0])).containsExactly(1, 1, 0);
        w.record(now[0] - 50_000, false, true); // inside it (the oldest bucket still counted)
        assertThat(sum(w, now[0])).containsExactly(2, 1, 1);
        now[0] += 5_000;
        w.record(now[0] + 4_000, false, false); // within a bucket width ahead: taken as it is
        assertThat(sum(w, now[0] + 4_000)).containsExactly(3, 1, 1);
    }

    @Test
    void whenItsOwnTimeStepsBackTheWindowStartsOverInsteadOfDroppingEveryReading() {
        long[] now = {10_000_000L};
        OutcomeWindow w = new OutcomeWindow(60_000, 6, () -> now[0]);
        w.record(now[0], true, false);
        now[0] -= 3_600_000; // a wall clock stepped back an hour
        w.record(now[0], true, true);
        w.record(now[0], false, false);
        assertThat(sum(w, now[0])).containsExactly(2, 1, 1);
    }
}
