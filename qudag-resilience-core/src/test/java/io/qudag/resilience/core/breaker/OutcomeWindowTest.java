package io.qudag.resilience.core.breaker;

import static org.assertj.core.api.Assertions.assertThat;

import io.qudag.resilience.core.breaker.internal.OutcomeWindow;
import org.junit.jupiter.api.Test;

class OutcomeWindowTest {

    private static long[] sum(OutcomeWindow w, long now) {
        long[] out = new long[3];
        w.sum(now, out);
        return out;
    }

    @Test
    void countsPerBucketAndForgetsBucketsOlderThanTheWindow() {
        OutcomeWindow w = new OutcomeWindow(60_000, 6); // 10 s buckets
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
    void aReadingOlderThanTheWindowIsDroppedNotAddedToTheBucketThatReplacedIt() {
        OutcomeWindow w = new OutcomeWindow(60_000, 6); // 10 s buckets
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
}
