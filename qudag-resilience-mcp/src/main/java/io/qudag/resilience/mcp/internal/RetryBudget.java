package io.qudag.resilience.mcp.internal;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/**
 * A retry budget in the style of Finagle's {@code RetryBudget} and Envoy's retry budgets (spec §1.3:
 * retries must not turn a failing fleet into a retry storm): extra attempts (retries, failovers of the
 * same call, hedges) may be at most {@code ratio} of the calls made over a sliding window, plus
 * {@code minPerSecond} per second of the window so that a quiet client can still retry.
 *
 * <p>The window is a ring of one-second buckets of call and extra-attempt counts, each tagged with its
 * second; a bucket is reset by the first writer that finds it stale (one compare-and-set per bucket
 * roll). Lock-free and allocation-free; under a race a reset may drop a few counts of the bucket's
 * first instant, which only errs by a few attempts either way.
 *
 * <p>The success path is {@link #deposit(long)}: the caller passes the clock reading it already made
 * for the call (no clock read here); the current second and its bucket are cached, so no division runs
 * until the second rolls; and the call count of a bucket is striped over cache-line-padded cells chosen
 * by thread, so that concurrent callers do not all increment one contended counter. A withdrawal (rare:
 * only on an extra attempt) sums the stripes.
 */
public final class RetryBudget {

    private static final long SECOND = 1_000_000_000L;
    /** Call-count stripes per bucket (a power of two). */
    private static final int STRIPES = 8;
    /** Longs per padded cell: one cache line of 64 bytes. */
    private static final int PAD = 8;
    /** Per bucket: the tag, the stripes of the call count, the extra attempts; each on its own line. */
    private static final int BUCKET = PAD * (STRIPES + 2);
    /** The bits of {@link #cached} that hold the bucket index (at most 3600 buckets). */
    private static final int INDEX_BITS = 12;

    private final double ratio;
    private final long floor;
    private final int buckets;
    private final LongSupplier nanoTime;
    /** Per bucket, at {@code BUCKET × i}: [second, calls × STRIPES, extra attempts], each padded to a line. */
    private final AtomicLongArray cells;
    /**
     * The last bucket looked up: {@code second << INDEX_BITS | index}, one field so that a racy read sees
     * a consistent pair; the bucket's own tag is checked before use.
     */
    private long cached;
    /** The last second deposited to, with its bucket: a deposit within it needs no division. */
    private Second current;

    /** One second of the clock and its bucket; replaced (one allocation) when the second rolls. */
    private record Second(long second, long startNanos, int base) {
    }

    /**
     * @param ratio        extra attempts allowed per call, e.g. 0.2
     * @param minPerSecond extra attempts allowed per second of the window whatever the call count
     * @param windowSeconds the sliding window, in whole seconds
     * @param nanoTime     the clock of {@link #deposit()} and {@link #tryWithdraw()}
     */
    public RetryBudget(double ratio, int minPerSecond, int windowSeconds, LongSupplier nanoTime) {
        if (!(ratio >= 0) || ratio > 1000) {
            throw new IllegalArgumentException("ratio must be in [0, 1000], was " + ratio);
        }
        if (minPerSecond < 0) {
            throw new IllegalArgumentException("minPerSecond must be >= 0, was " + minPerSecond);
        }
        if (windowSeconds < 1 || windowSeconds > 3600) {
            throw new IllegalArgumentException("windowSeconds must be in [1, 3600], was " + windowSeconds);
        }
        if (nanoTime == null) {
            throw new IllegalArgumentException("nanoTime must not be null, was null");
        }
        this.ratio = ratio;
        this.floor = (long) minPerSecond * windowSeconds;
        this.buckets = windowSeconds;
        this.nanoTime = nanoTime;
        this.cells = new AtomicLongArray(BUCKET * windowSeconds);
        long now = Math.floorDiv(nanoTime.getAsLong(), SECOND);
        for (int i = 0; i < windowSeconds; i++) {
            cells.set(BUCKET * i, now - windowSeconds - 1); // every bucket starts stale
        }
        this.cached = (now - windowSeconds - 1) << INDEX_BITS;
    }

    /** The base of the bucket of {@code second}, reset first when it still holds an older second. */
    private int bucket(long second) {
        long c = cached;
        int base;
        if (c >> INDEX_BITS == second) {
            base = BUCKET * (int) (c & ((1 << INDEX_BITS) - 1));
        } else {
            int i = (int) Math.floorMod(second, (long) buckets);
            base = BUCKET * i;
            cached = second << INDEX_BITS | i;
        }
        long tag = cells.get(base);
        if (tag != second && cells.compareAndSet(base, tag, second)) {
            for (int k = 1; k < STRIPES + 2; k++) {
                cells.set(base + PAD * k, 0);
            }
        }
        return base;
    }

    /** The padded call-count cell of this thread in the bucket at {@code base}. */
    private static int stripe(int base) {
        int h = (int) Thread.currentThread().getId();
        h ^= h >>> 3;
        return base + PAD * (1 + (h & (STRIPES - 1)));
    }

    /** Counts one call (a first attempt), reading the clock. */
    public void deposit() {
        deposit(nanoTime.getAsLong());
    }

    /** Counts one call (a first attempt) made at {@code nowNanos}, a reading of this budget's clock. */
    public void deposit(long nowNanos) {
        Second c = current;
        int base;
        long since = c == null ? -1 : nowNanos - c.startNanos;
        if (since >= 0 && since < SECOND && cells.get(c.base) == c.second) {
            base = c.base;
        } else {
            long second = Math.floorDiv(nowNanos, SECOND);
            base = bucket(second);
            current = new Second(second, second * SECOND, base);
        }
        cells.getAndIncrement(stripe(base));
    }

    /** Takes one extra attempt from the budget; {@code false} when the budget is spent (do not retry). */
    public boolean tryWithdraw() {
        return tryWithdraw(1.0);
    }

    /**
     * Takes one extra attempt if the attempts spent stay within {@code share} of the budget: hedges take at
     * most a part of it, so that failovers of calls whose endpoint died keep a reserve.
     */
    public boolean tryWithdraw(double share) {
        long now = Math.floorDiv(nanoTime.getAsLong(), SECOND);
        int mine = bucket(now) + PAD * (STRIPES + 1);
        // Take first, then check: concurrent withdrawals cannot all slip under the limit.
        cells.incrementAndGet(mine);
        long calls = 0;
        long extra = 0;
        for (int i = 0; i < buckets; i++) {
            int base = BUCKET * i;
            long tag = cells.get(base);
            if (tag > now - buckets && tag <= now) {
                for (int k = 1; k <= STRIPES; k++) {
                    calls += cells.get(base + PAD * k);
                }
                extra += cells.get(base + PAD * (STRIPES + 1));
            }
        }
        if (extra > share * (floor + ratio * calls)) {
            cells.decrementAndGet(mine);
            return false;
        }
        return true;
    }
}
