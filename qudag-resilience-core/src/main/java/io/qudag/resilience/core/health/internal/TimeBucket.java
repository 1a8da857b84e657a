package io.qudag.resilience.core.health.internal;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentDoubleHistogram;
import org.HdrHistogram.DoubleHistogram;

/**
 * One time slice of a sliding window: the samples of one epoch ({@code clockMillis / bucketMillis}).
 * Recording is lock-free: striped adders for count and sum, a CAS loop for the max, and a
 * {@link ConcurrentDoubleHistogram} (wait-free recording) for percentiles. The epoch field doubles as
 * the bucket's state: {@link #RESETTING} while one thread clears the bucket for a new epoch.
 */
public final class TimeBucket {

    /** Epoch value while the bucket is being cleared for a new epoch. */
    public static final long RESETTING = Long.MIN_VALUE;
    /** Epoch value of a bucket that never held data. */
    public static final long UNUSED = Long.MIN_VALUE + 1;
    /** Significant decimal digits of the histograms: about 1% relative precision. */
    public static final int SIGNIFICANT_DIGITS = 2;

    private final AtomicLong epoch = new AtomicLong(UNUSED);
    private final LongAdder count = new LongAdder();
    private final DoubleAdder sum = new DoubleAdder();
    /** Raw bits of the largest sample; for non-negative doubles the bit order is the numeric order. */
    private final AtomicLong maxBits = new AtomicLong(0L);
    private final ConcurrentDoubleHistogram histogram;

    public TimeBucket(boolean trackPercentiles) {
        // Auto-resizing: starts small and grows only when a wider range of values shows up.
        this.histogram = trackPercentiles ? new ConcurrentDoubleHistogram(SIGNIFICANT_DIGITS) : null;
    }

    public long epoch() {
        return epoch.get();
    }

    /** Claims the bucket for clearing when it still holds {@code expected}. */
    public boolean claimForReset(long expected) {
        return epoch.compareAndSet(expected, RESETTING);
    }

    /** Clears the data and opens the bucket for {@code newEpoch}; only the claiming thread calls this. */
    public void resetTo(long newEpoch) {
        count.reset();
        sum.reset();
        maxBits.set(0L);
        if (histogram != null) {
            histogram.reset();
        }
        epoch.set(newEpoch);
    }

    /** Adds one sample; {@code value} is finite and {@code >= +0.0}. */
    public void add(double value) {
        count.increment();
        sum.add(value);
        long bits = Double.doubleToRawLongBits(value);
        long current = maxBits.get();
        while (bits > current && !maxBits.compareAndSet(current, bits)) {
            current = maxBits.get();
        }
        if (histogram != null) {
            try {
                histogram.recordValue(value);
            } catch (ArrayIndexOutOfBoundsException outOfRange) {
                // HdrHistogram covers a dynamic range of about 1e16 between the smallest and the largest
                // non-zero value; a sample beyond it stays in count, sum and max but not in the percentiles.
            }
        }
    }

    public long count() {
        return count.sum();
    }

    public double sum() {
        return sum.sum();
    }

    public double max() {
        return Double.longBitsToDouble(maxBits.get());
    }

    /** Adds this bucket's histogram to {@code target}; no-op when percentiles are not tracked. */
    public void addHistogramTo(DoubleHistogram target) {
        if (histogram != null) {
            target.add(histogram);
        }
    }

    public boolean tracksPercentiles() {
        return histogram != null;
    }
}
