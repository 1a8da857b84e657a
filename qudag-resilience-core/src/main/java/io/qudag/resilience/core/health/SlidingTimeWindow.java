package io.qudag.resilience.core.health;

import io.qudag.resilience.core.health.internal.Checks;
import io.qudag.resilience.core.health.internal.TimeBucket;
import java.time.Clock;
import java.time.Duration;
import org.HdrHistogram.DoubleHistogram;

/**
 * A sliding time window of non-negative samples (spec §1.2 {@code evaluation_window}) giving count,
 * mean, p95, max and rate over the last {@link #window()}, under an injected {@link Clock}.
 *
 * <h2>How it works</h2>
 * The window is a ring of {@code buckets} time buckets of {@code window / buckets} each (whole
 * milliseconds). A sample belongs to epoch {@code floorDiv(clock.millis(), bucketMillis)} and goes
 * to ring slot {@code epoch mod buckets}. {@link #record(double)} is O(1) and takes no lock: it reads
 * the clock, finds the slot, and adds to striped counters and a wait-free
 * {@link org.HdrHistogram.ConcurrentDoubleHistogram}. When the slot still holds an older epoch, the
 * first thread to win a CAS on the slot's epoch clears it and opens it for the new epoch (rotation);
 * threads arriving meanwhile spin briefly ({@link Thread#onSpinWait()}) on that one slot, never on
 * the whole window. Steady-state recording allocates nothing (the histogram allocates only when a
 * wider range of values than ever before shows up).
 *
 * <h2>What is live</h2>
 * {@link #snapshot()} merges the buckets whose epoch lies in {@code (nowEpoch - buckets, nowEpoch]}.
 * A sample therefore counts for at least {@code window - window/buckets} and at most {@code window}
 * after it was recorded: it expires with its whole bucket. With {@code window} not a multiple of
 * {@code buckets} milliseconds the effective window is {@code buckets * floor(windowMillis/buckets)}.
 *
 * <h2>Known inaccuracies (documented, bounded)</h2>
 * <ul>
 *   <li>A snapshot taken while other threads record is not atomic: a sample may be in the count
 *       but not yet in the sum or the histogram.</li>
 *   <li>p95 comes from an HdrHistogram with 2 significant digits (about 1% relative error, capped at
 *       the exact max). It spans a dynamic range of about 1e16 between the smallest and the largest
 *       non-zero sample; a sample beyond that range still counts for count, mean, max and rate but is
 *       left out of the percentile.</li>
 *   <li>A thread that read the clock and was then descheduled for longer than the whole window may
 *       add its (by then expired) sample to a bucket that was rotated meanwhile, or take over a slot
 *       that serves a newer epoch. The latter is what a clock stepped back looks like, and taking
 *       the slot over keeps the window counting (buckets from the "future" are left out of
 *       snapshots until they are reused).</li>
 * </ul>
 */
public final class SlidingTimeWindow {

    private final Duration window;
    private final int bucketCount;
    private final long bucketMillis;
    private final double windowSeconds;
    private final Clock clock;
    private final TimeBucket[] ring;
    private final boolean trackPercentiles;
    /**
     * Set (once) by the first {@link #record}: a window that never held a sample is read without
     * touching its buckets. A reader that misses a concurrent first sample sees the window as it was
     * just before (reads are not atomic with recording anyway).
     */
    private volatile boolean used;
    /**
     * The epoch of the last clock reading: while the clock stays in that bucket's time span the epoch
     * is known without a division (one long, so a racy reader sees a whole value; a stale one only
     * costs the division).
     */
    private volatile long lastEpoch = Long.MIN_VALUE;

    private SlidingTimeWindow(Duration window, int buckets, Clock clock, boolean trackPercentiles) {
        this.window = window;
        this.bucketCount = buckets;
        this.bucketMillis = window.toMillis() / buckets;
        this.windowSeconds = bucketMillis * (double) buckets / 1000.0;
        this.clock = clock;
        this.trackPercentiles = trackPercentiles;
        this.ring = new TimeBucket[buckets];
        for (int i = 0; i < buckets; i++) {
            ring[i] = new TimeBucket(trackPercentiles);
        }
    }

    /**
     * {@return a window of length {@code window} split into {@code buckets} buckets, tracking percentiles}
     *
     * @param window the window's length
     * @param buckets how many buckets it is split into; samples expire one bucket at a time
     * @param clock the clock the buckets advance on
     * @throws IllegalArgumentException when {@code window} is not positive, {@code buckets < 1}, a
     *                                  bucket would be shorter than 1 ms, or {@code clock} is null
     */
    public static SlidingTimeWindow of(Duration window, int buckets, Clock clock) {
        return of(window, buckets, clock, true);
    }

    /**
     * {@return a window like {@link #of(Duration, int, Clock)}; with {@code trackPercentiles} false no histogram is kept
     * (saves memory when only mean, max, rate or count are needed) and {@link WindowSnapshot#p95()} is NaN}
     *
     * @param window the window's length
     * @param buckets how many buckets it is split into; samples expire one bucket at a time
     * @param clock the clock the buckets advance on
     * @param trackPercentiles whether to keep a histogram for the p95
     */
    public static SlidingTimeWindow of(Duration window, int buckets, Clock clock, boolean trackPercentiles) {
        Checks.positive("window", window);
        Checks.atLeast("buckets", buckets, 1);
        Checks.notNull("clock", clock);
        if (window.toMillis() < buckets) {
            throw new IllegalArgumentException("window must be at least 1 ms per bucket (" + buckets
                    + " buckets), was " + window);
        }
        return new SlidingTimeWindow(window, buckets, clock, trackPercentiles);
    }

    /** {@return the configured window length} */
    public Duration window() {
        return window;
    }

    /** {@return the number of buckets in the ring} */
    public int buckets() {
        return bucketCount;
    }

    /** {@return whether {@link WindowSnapshot#p95()} is computed} */
    public boolean tracksPercentiles() {
        return trackPercentiles;
    }

    /**
     * Records one sample at the clock's current time. O(1), no global lock.
     *
     * @param value the sample, {@code >= 0} and finite
     * @throws IllegalArgumentException when {@code value} is negative, NaN or infinite
     */
    public void record(double value) {
        if (!(value >= 0.0) || value == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("value must be finite and >= 0, was " + value);
        }
        value += 0.0; // turns -0.0 into +0.0
        if (!used) {
            used = true;
        }
        long epoch = epochOf(clock.millis());
        TimeBucket bucket = ring[(int) Math.floorMod(epoch, (long) bucketCount)];
        while (true) {
            long current = bucket.epoch();
            if (current == epoch) {
                bucket.add(value);
                return;
            }
            if (current == TimeBucket.RESETTING) {
                Thread.onSpinWait();
            } else if (bucket.claimForReset(current)) {
                // an older epoch: rotate; a newer one: the clock was just read, so it was stepped
                // back (the slot holds "future" data that snapshots skip anyway): take the slot over
                // rather than dropping every sample until the clock catches up
                bucket.resetTo(epoch);
                bucket.add(value);
                return;
            }
        }
    }

    /**
     * The value of {@code statistic} over the live buckets now, or NaN when the window holds no live
     * sample (for every statistic: an empty window is "no data", unlike
     * {@code snapshot().value(COUNT)}, which is 0). Equal to {@code snapshot().value(statistic)} for a
     * non-empty window. Allocation-free for MEAN, MAX, RATE_PER_SECOND and COUNT (it reads the same
     * buckets as {@link #snapshot()} without building a snapshot); P95 merges histograms like
     * {@link #snapshot()}.
     *
     * @param statistic the statistic to compute
     * @return the statistic over the live buckets, NaN for an empty window
     */
    public double liveValue(IndicatorStatistic statistic) {
        if (statistic == IndicatorStatistic.P95) {
            WindowSnapshot s = snapshot();
            return s.isEmpty() ? Double.NaN : s.p95();
        }
        if (!used) {
            return Double.NaN;
        }
        long nowEpoch = epochOf(clock.millis());
        long oldestLive = nowEpoch - bucketCount + 1;
        long count = 0;
        double sum = 0;
        double max = 0;
        for (TimeBucket bucket : ring) {
            long before = bucket.epoch();
            if (before == TimeBucket.RESETTING || before < oldestLive || before > nowEpoch) {
                continue;
            }
            long c = bucket.count();
            double s = bucket.sum();
            double m = bucket.max();
            if (bucket.epoch() != before) {
                continue; // rotated while read: expired data, skip it
            }
            count += c;
            sum += s;
            max = Math.max(max, m);
        }
        if (count == 0) {
            return Double.NaN;
        }
        return switch (statistic) {
            case MEAN -> sum / count;
            case MAX -> max;
            case RATE_PER_SECOND -> count / windowSeconds;
            case COUNT -> count;
            case P95 -> throw new AssertionError("handled above");
        };
    }

    /** {@return the statistics of the live buckets now} */
    public WindowSnapshot snapshot() {
        if (!used) {
            return WindowSnapshot.EMPTY;
        }
        long nowEpoch = epochOf(clock.millis());
        long oldestLive = nowEpoch - bucketCount + 1;
        long count = 0;
        double sum = 0;
        double max = 0;
        DoubleHistogram merged = null; // allocated at the first live bucket with samples
        for (TimeBucket bucket : ring) {
            long before = bucket.epoch();
            if (before == TimeBucket.RESETTING || before < oldestLive || before > nowEpoch) {
                continue;
            }
            long c = bucket.count();
            double s = bucket.sum();
            double m = bucket.max();
            DoubleHistogram part = null;
            if (trackPercentiles && c > 0) {
                if (merged == null) {
                    merged = new DoubleHistogram(TimeBucket.SIGNIFICANT_DIGITS);
                }
                part = new DoubleHistogram(TimeBucket.SIGNIFICANT_DIGITS);
                try {
                    bucket.addHistogramTo(part);
                } catch (IndexOutOfBoundsException rotatedOrOutOfRange) {
                    part = null; // rotated while read (skipped below) or out of range: no percentiles from it
                }
            }
            if (bucket.epoch() != before) {
                continue; // rotated while read: expired data, skip it
            }
            count += c;
            sum += s;
            max = Math.max(max, m);
            if (part != null) {
                try {
                    merged.add(part);
                } catch (IndexOutOfBoundsException outOfRange) {
                    // values of different buckets spread over more than ~1e16: p95 uses what fitted
                }
            }
        }
        if (count == 0) {
            return WindowSnapshot.EMPTY;
        }
        double p95 = Double.NaN;
        if (merged != null && merged.getTotalCount() > 0) {
            p95 = Math.min(merged.getValueAtPercentile(95.0), max);
        }
        return new WindowSnapshot(count, sum / count, p95, max, count / windowSeconds);
    }

    /** {@code floorDiv(millis, bucketMillis)}, without dividing while the clock stays in one bucket. */
    private long epochOf(long millis) {
        long e = lastEpoch;
        if (e != Long.MIN_VALUE) {
            long start = e * bucketMillis;
            if (millis >= start && millis - start < bucketMillis) {
                return e;
            }
        }
        e = Math.floorDiv(millis, bucketMillis);
        lastEpoch = e;
        return e;
    }

    @Override
    public String toString() {
        return "SlidingTimeWindow[" + window + " in " + bucketCount + " buckets of " + bucketMillis + " ms]";
    }
}
