package io.qudag.resilience.core.breaker.internal;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The CLOSED state's time-based sliding window (spec §3.1 {@code sliding_window_10m}): a ring of
 * buckets, each holding {@code [epoch, calls, failures, slow]} in one {@link AtomicLongArray}. Time is
 * a plain {@code long} in whatever unit the owner chooses (the breaker uses nanoseconds), the same
 * unit for the window length and every reading.
 * Recording is lock-free and allocation-free in steady state: a range check against the cached
 * current bucket and one to three atomic increments; moving to the next bucket (once per bucket
 * width) allocates one small cursor. A bucket whose epoch is stale is recycled by the one thread that
 * moves its epoch to {@code RECYCLING} with a compare-and-set; it zeroes the counters, then publishes
 * the new epoch, and threads that meet the bucket meanwhile wait those few instructions, so no call
 * is lost to a recycle. Only {@link #clear()} (a state change) may race with a recording.
 */
public final class OutcomeWindow {

    private static final int STRIDE = 4;
    private static final long EMPTY = Long.MIN_VALUE;
    private static final long RECYCLING = Long.MIN_VALUE + 1;

    private final int buckets;
    private final long bucketWidth;
    private final AtomicLongArray data;

    /**
     * @param windowLength length of the window
     * @param buckets      number of buckets (the window is {@code buckets · floor(windowLength/buckets)})
     */
    public OutcomeWindow(long windowLength, int buckets) {
        this.buckets = buckets;
        this.bucketWidth = Math.max(1, windowLength / buckets);
        this.data = new AtomicLongArray(buckets * STRIDE);
        clear();
    }

    /** The bucket of the current epoch and its time range; replaced once per bucket width. */
    private static final class Cursor {
        final long start;
        final long end;
        final int base;

        Cursor(long start, long end, int base) {
            this.start = start;
            this.end = end;
            this.base = base;
        }
    }

    private static final Cursor NO_CURSOR = new Cursor(Long.MAX_VALUE, Long.MIN_VALUE, 0);

    private volatile Cursor cursor = NO_CURSOR;

    /** Counts one call that ended at {@code now}; a reading older than the window is dropped. */
    public void record(long now, boolean failure, boolean slow) {
        Cursor c = cursor;
        // steady state: the bucket is still current, so no division and no epoch check
        int base = now >= c.start && now < c.end ? c.base : roll(now);
        if (base < 0) {
            return;
        }
        data.getAndIncrement(base + 1);
        if (failure) {
            data.getAndIncrement(base + 2);
        }
        if (slow) {
            data.getAndIncrement(base + 3);
        }
    }

    /**
     * The bucket of {@code now}'s epoch, recycled if it still holds an older epoch; {@code -1} when it
     * already holds a later one (the reading is older than the window). The cursor only moves forward,
     * so a late reading from a slow thread does not send the others back a bucket.
     */
    private int roll(long now) {
        long epoch = Math.floorDiv(now, bucketWidth);
        int base = (int) Math.floorMod(epoch, (long) buckets) * STRIDE;
        for (int spins = 0;; spins++) {
            long seen = data.get(base);
            if (seen == epoch) {
                break;
            }
            if (seen == RECYCLING) {
                if (spins < 64) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield(); // the recycling thread was descheduled
                }
            } else if (seen > epoch) {
                return -1;
            } else if (data.compareAndSet(base, seen, RECYCLING)) {
                data.set(base + 1, 0);
                data.set(base + 2, 0);
                data.set(base + 3, 0);
                data.set(base, epoch);
                break;
            }
        }
        long start = epoch * bucketWidth;
        if (start >= cursor.end) { // NO_CURSOR's end is Long.MIN_VALUE
            cursor = new Cursor(start, start + bucketWidth, base);
        }
        return base;
    }

    /** Writes {@code [calls, failures, slow]} within the window ending at {@code now} into {@code out}. */
    public void sum(long now, long[] out) {
        long epoch = Math.floorDiv(now, bucketWidth);
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
        cursor = NO_CURSOR;
        for (int b = 0; b < buckets; b++) {
            int base = b * STRIDE;
            data.set(base, EMPTY);
            data.set(base + 1, 0);
            data.set(base + 2, 0);
            data.set(base + 3, 0);
        }
    }
}
