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
 * second; a bucket is reset by the first writer that finds it stale. Lock-free and allocation-free;
 * under a race a reset may drop a few counts of the bucket's first instant, which only errs by a few
 * attempts either way.
 */
public final class RetryBudget {

    private static final long SECOND = 1_000_000_000L;

    private final double ratio;
    private final long floor;
    private final int buckets;
    private final LongSupplier nanoTime;
    /** Per bucket: [second, calls, extra attempts], flattened. */
    private final AtomicLongArray cells;

    /**
     * @param ratio        extra attempts allowed per call, e.g. 0.2
     * @param minPerSecond extra attempts allowed per second of the window whatever the call count
     * @param windowSeconds the sliding window, in whole seconds
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
        this.ratio = ratio;
        this.floor = (long) minPerSecond * windowSeconds;
        this.buckets = windowSeconds;
        this.nanoTime = nanoTime;
        this.cells = new AtomicLongArray(3 * windowSeconds);
        long now = second();
        for (int i = 0; i < windowSeconds; i++) {
            cells.set(3 * i, now - windowSeconds - 1); // every bucket starts stale
        }
    }

    private long second() {
        return Math.floorDiv(nanoTime.getAsLong(), SECOND);
    }

    private int bucket(long second) {
        int i = (int) Math.floorMod(second, (long) buckets);
        int base = 3 * i;
        long tag = cells.get(base);
        if (tag != second && cells.compareAndSet(base, tag, second)) {
            cells.set(base + 1, 0);
            cells.set(base + 2, 0);
        }
        return base;
    }

    /** Counts one call (a first attempt). */
    public void deposit() {
        cells.incrementAndGet(bucket(second()) + 1);
    }

    /** Takes one extra attempt from the budget; {@code false} when the budget is spent (do not retry). */
    public boolean tryWithdraw() {
        long now = second();
        int mine = bucket(now) + 2;
        // Take first, then check: concurrent withdrawals cannot all slip under the limit.
        cells.incrementAndGet(mine);
        long calls = 0;
        long extra = 0;
        for (int i = 0; i < buckets; i++) {
            int base = 3 * i;
            long tag = cells.get(base);
            if (tag > now - buckets && tag <= now) {
                calls += cells.get(base + 1);
                extra += cells.get(base + 2);
            }
        }
        if (extra > floor + ratio * calls) {
            cells.decrementAndGet(mine);
            return false;
        }
        return true;
    }
}
