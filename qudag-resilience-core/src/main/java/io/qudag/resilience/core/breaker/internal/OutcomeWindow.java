package io.qudag.resilience.core.breaker.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/**
 * The CLOSED state's time-based sliding window (spec §3.1 {@code sliding_window_10m}): a ring of
 * buckets, each holding {@code [epoch, calls, failures, slow]} in one {@link AtomicLongArray}. Time is
 * a plain {@code long} in whatever unit the owner chooses (the breaker uses nanoseconds on
 * {@code System.nanoTime()}, milliseconds on an injected clock), the same unit for the window length
 * and every reading.
 *
 * <p>Recording takes no lock and allocates nothing in steady state: a range check against the cached
 * current bucket and one to three atomic increments. Moving to the next bucket (once per bucket width)
 * allocates one small cursor, and recycles the bucket's ring slot: the one thread that moves the slot's
 * epoch to {@code RECYCLING} with a compare-and-set zeroes its counters and then publishes the new epoch;
 * threads that meet the slot meanwhile wait those few instructions (a bounded wait: a call that would
 * wait longer is dropped), so no call is lost to a recycle. {@link #clear()} installs a fresh ring, so
 * it never races a recycle; a recording in flight at that instant lands in the discarded ring.
 *
 * <p>With a {@code time} source, a reading is checked against it when it moves the window to another
 * bucket (so once per bucket width, not per call): a reading from more than a bucket width in the
 * future is replaced by the source's time, and a reading older than the window is dropped. When the
 * source itself goes back by more than a bucket (a stepped wall clock), the window starts over.
 */
public final class OutcomeWindow {

    private static final int STRIDE = 4;
    private static final long EMPTY = Long.MIN_VALUE;
    private static final long RECYCLING = Long.MIN_VALUE + 1;
    private static final int MAX_SPINS = 64;
    private static final int MAX_YIELDS = 10_000;
    private static final VarHandle CURSOR;
    private static final VarHandle VERSION;

    static {
        try {
            CURSOR = MethodHandles.lookup().findVarHandle(Ring.class, "cursor", Cursor.class);
            VERSION = MethodHandles.lookup().findVarHandle(Ring.class, "version", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int buckets;
    private final long bucketWidth;
    private final long windowLength;
    private final LongSupplier time;
    private volatile Ring ring;

    /**
     * @param windowLength length of the window
     * @param buckets      number of buckets (the window is {@code buckets · floor(windowLength/buckets)})
     * @param time         the window's own time, to check readings against when they move the window
     *                     to another bucket, or {@code null} to take every reading as it is
     */
    public OutcomeWindow(long windowLength, int buckets, LongSupplier time) {
        this.buckets = buckets;
        this.bucketWidth = Math.max(1, windowLength / buckets);
        this.windowLength = bucketWidth * buckets;
        this.time = time;
        this.ring = new Ring(buckets);
    }

    /** The bucket of the current epoch and its time range; replaced once per bucket width. */
    private static final class Cursor {
        final long start;
        final long end;
        final int base;
        final long epoch;

        Cursor(long start, long end, int base, long epoch) {
            this.start = start;
            this.end = end;
            this.base = base;
            this.epoch = epoch;
        }
    }

    private static final Cursor NO_CURSOR = new Cursor(Long.MAX_VALUE, Long.MIN_VALUE, 0, Long.MIN_VALUE);

    /** The sums of the buckets before {@code epoch} that are still in its window, as of {@code version}. */
    private static final class Older {
        final long epoch;
        final long version;
        final long calls;
        final long failures;
        final long slow;

        Older(long epoch, long version, long calls, long failures, long slow) {
            this.epoch = epoch;
            this.version = version;
            this.calls = calls;
            this.failures = failures;
            this.slow = slow;
        }
    }

    private static final Older NO_OLDER = new Older(Long.MIN_VALUE, -1, 0, 0, 0);

    /** The buckets and the cursor into them; replaced as a whole by {@link #clear()}. */
    private static final class Ring {
        final AtomicLongArray data;
        volatile Cursor cursor = NO_CURSOR;
        /**
         * Moves on every count that did not go through the cursor (the only counts that can change a
         * bucket other than the cursor's), so a cached {@link Older} of an earlier version is stale.
         */
        volatile long version;
        volatile Older older = NO_OLDER;

        Ring(int buckets) {
            data = new AtomicLongArray(buckets * STRIDE);
            for (int b = 0; b < buckets; b++) {
                data.set(b * STRIDE, EMPTY);
            }
        }
    }

    /** Counts one call that ended at {@code now}; a reading older than the window is dropped. */
    public void record(long now, boolean failure, boolean slow) {
        Ring r = ring;
        Cursor c = r.cursor;
        if (now >= c.start && now < c.end) {
            // steady state: the bucket is still current, so no division and no epoch check
            add(r.data, c.base, failure, slow);
        } else {
            recordMovingOn(r, now, failure, slow);
        }
    }

    private static void add(AtomicLongArray data, int base, boolean failure, boolean slow) {
        data.getAndIncrement(base + 1);
        if (failure) {
            data.getAndIncrement(base + 2);
        }
        if (slow) {
            data.getAndIncrement(base + 3);
        }
    }

    /**
     * Counts a call in the slot of {@code now}'s epoch, recycling the slot if it still holds an older
     * epoch; drops it when the reading is older than the window (or its slot already holds a later
     * epoch). The cursor only moves forward, so a late reading from a slow thread does not send the
     * others back a bucket.
     */
    private void recordMovingOn(Ring r, long now, boolean failure, boolean slow) {
        if (time != null) {
            long real = time.getAsLong();
            Cursor current = r.cursor;
            if (current != NO_CURSOR && real < current.start - bucketWidth) {
                // the window's own time went back (a wall clock was stepped): what it holds is from
                // the "future" and would make it drop every reading until time caught up; start over
                r = new Ring(buckets);
                ring = r;
            }
            if (now > real + bucketWidth) {
                now = real; // not a reading of this window's time
            } else if (now <= real - windowLength) {
                return;
            }
        }
        long epoch = Math.floorDiv(now, bucketWidth);
        int base = (int) Math.floorMod(epoch, (long) buckets) * STRIDE;
        AtomicLongArray data = r.data;
        for (int waits = 0;; ) {
            long seen = data.get(base);
            if (seen == epoch) {
                break;
            }
            if (seen == RECYCLING) {
                if (++waits <= MAX_SPINS) {
                    Thread.onSpinWait();
                } else if (waits <= MAX_SPINS + MAX_YIELDS) {
                    Thread.yield(); // the recycling thread was descheduled
                } else {
                    return;
                }
            } else if (seen > epoch) {
                return;
            } else if (data.compareAndSet(base, seen, RECYCLING)) {
                data.set(base + 1, 0);
                data.set(base + 2, 0);
                data.set(base + 3, 0);
                data.set(base, epoch);
                break;
            }
        }
        add(data, base, failure, slow);
        VERSION.getAndAdd(r, 1L); // after the count: a reader that saw the old version recounts
        long start = epoch * bucketWidth;
        Cursor c = r.cursor;
        if (start >= c.end) { // NO_CURSOR's end is Long.MIN_VALUE
            CURSOR.compareAndSet(r, c, new Cursor(start, start + bucketWidth, base, epoch));
        }
    }

    /**
     * Writes {@code [calls, failures, slow]} within the window ending at {@code now} into {@code out}.
     * When {@code now} is in the cursor's bucket (the usual case: the breaker sums right after it
     * recorded), the earlier buckets' sums come from a cache kept per bucket and version, so this
     * reads a handful of fields instead of every bucket; a recount happens once per bucket width, or
     * after a count that did not go through the cursor.
     */
    public void sum(long now, long[] out) {
        test(now, (calls, failures, slow) -> {
            out[0] = calls;
            out[1] = failures;
            out[2] = slow;
            return true;
        });
    }

    /** A test of the window's counts; see {@link #test}. */
    @FunctionalInterface
    public interface Counts {
        boolean test(long calls, long failures, long slow);
    }

    /**
     * Hands {@code [calls, failures, slow]} within the window ending at {@code now} to {@code counts}
     * in one pass, as {@link #sum} does, without allocating in steady state (the breaker evaluates its
     * rates after every failure through this).
     */
    public boolean test(long now, Counts counts) {
        Ring r = ring;
        Cursor c = r.cursor;
        if (now < c.start || now >= c.end) {
            long[] all = new long[3]; // off the steady path: a reading outside the cursor's bucket
            sumAll(r.data, Math.floorDiv(now, bucketWidth), Long.MIN_VALUE, all);
            return counts.test(all[0], all[1], all[2]);
        }
        long epoch = c.epoch;
        Older o = r.older;
        long version = r.version;
        if (o.epoch != epoch || o.version != version) {
            long[] all = new long[3]; // once per bucket, or after a count that bypassed the cursor
            sumAll(r.data, epoch, epoch, all);
            o = new Older(epoch, version, all[0], all[1], all[2]);
            r.older = o;
        }
        long calls = o.calls;
        long failures = o.failures;
        long slow = o.slow;
        AtomicLongArray data = r.data;
        int base = c.base;
        if (data.get(base) == epoch) {
            calls += data.get(base + 1);
            failures += data.get(base + 2);
            slow += data.get(base + 3);
        }
        return counts.test(calls, failures, slow);
    }

    /** Sums every bucket of the window ending in {@code epoch}, leaving out the bucket of {@code skip}. */
    private void sumAll(AtomicLongArray data, long epoch, long skip, long[] out) {
        long calls = 0;
        long failures = 0;
        long slow = 0;
        for (int b = 0; b < buckets; b++) {
            int base = b * STRIDE;
            long e = data.get(base);
            if (e <= epoch && e > epoch - buckets && e != skip) {
                calls += data.get(base + 1);
                failures += data.get(base + 2);
                slow += data.get(base + 3);
            }
        }
        out[0] = calls;
        out[1] = failures;
        out[2] = slow;
    }

    /** Empties the window: a fresh ring (allocated here, on a state change, never on the call path). */
    public void clear() {
        ring = new Ring(buckets);
    }
}
