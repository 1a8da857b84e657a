package io.qudag.resilience.core.breaker.internal;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The CLOSED state's time-based sliding window (spec §3.1 {@code sliding_window_10m}): a ring of
 * buckets, each holding {@code [epoch, calls, failures, slow]} in one {@link AtomicLongArray}.
 * Recording is lock-free and allocation-free: one read of the bucket's epoch and one to three atomic
 * increments. A bucket whose epoch is stale is recycled with a compare-and-set of its epoch; a call
 * recorded by another thread in the instant between that CAS and the zeroing may be lost from the
 * window (never from the meters), which the statistical trip decision tolerates.
 */
public final class SlidingTimeWindow {

    private static final int STRIDE = 4;

    private final int buckets;
    private final long bucketMillis;
    private final AtomicLongArray data;

    /**
     * @param windowMillis length of the window
     * @param buckets      number of buckets (the window is {@code buckets · floor(windowMillis/buckets)})
     */
    public SlidingTimeWindow(long windowMillis, int buckets) {
        this.buckets = buckets;
        this.bucketMillis = Math.max(1, windowMillis / buckets);
        this.data = new AtomicLongArray(buckets * STRIDE);
        clear();
    }

    /** Counts one call that ended at {@code nowMillis}. */
    public void record(long nowMillis, boolean failure, boolean slow) {
        long epoch = Math.floorDiv(nowMillis, bucketMillis);
        int base = (int) Math.floorMod(epoch, (long) buckets) * STRIDE;
        long seen = data.get(base);
        if (seen != epoch && seen < epoch && data.compareAndSet(base, seen, epoch)) {
            data.set(base + 1, 0);
            data.set(base + 2, 0);
            data.set(base + 3, 0);
        }
        data.getAndIncrement(base + 1);
        if (failure) {
            data.getAndIncrement(base + 2);
        }
        if (slow) {
            data.getAndIncrement(base + 3);
        }
    }

    /** Writes {@code [calls, failures, slow]} within the window ending at {@code nowMillis} into {@code out}. */
    public void sum(long nowMillis, long[] out) {
        long epoch = Math.floorDiv(nowMillis, bucketMillis);
        long calls = 0;
        long failures = 0;
        long slow = 0;
        for (int b = 0; b < buckets; b++) {
            int base = b * STRIDE;
            long e = data.get(base);
            if (e <= epoch && e > epoch - buckets) {
                calls += data.get(base + 1);
                failures += data.get(base + 2);
                slow += data.get(base + 3);
            }
        }
        out[0] = calls;
        out[1] = failures;
        out[2] = slow;
    }

    /** Empties the window. */
    public void clear() {
        for (int b = 0; b < buckets; b++) {
            int base = b * STRIDE;
            data.set(base, Long.MIN_VALUE);
            data.set(base + 1, 0);
            data.set(base + 2, 0);
            data.set(base + 3, 0);
        }
    }
}
