package io.qudag.resilience.health.predict;

import java.time.Duration;
import java.util.Optional;

/**
 * Memory-leak detection (spec §2.1 {@code memory_leak_detection}) from the heap used right after each
 * garbage collection: what survives a collection is what the program holds, so a steady rise of it is
 * a leak, while the saw-tooth of ordinary allocation is not. Over the last {@code window} points it
 * fits a least-squares line of bytes against time; it flags a leak when the slope is positive with a
 * t-statistic above {@code minT} and the line reaches {@code limitBytes} within {@code horizon}.
 * Feed it from {@link GcHeapListener} or any other source. Allocation-free.
 */
public final class MemoryLeakDetector {

    private final int window;
    private final double minT;
    private final double limitBytes;
    private final Duration horizon;
    private final double[] times;
    private final double[] values;
    private int size;
    private int head;
    private double slopePerMs;
    private double lastValue;
    private double lastTime;
    private boolean leaking;

    /**
     * @param window     points in the fit ({@code >= 5})
     * @param minT       t-statistic of the slope that counts as a trend ({@code > 0})
     * @param limitBytes the heap limit (usually the max heap) the leak would exhaust
     * @param horizon    flag only when the limit is reached within this time
     */
    public MemoryLeakDetector(int window, double minT, double limitBytes, Duration horizon) {
        if (window < 5) {
            throw new IllegalArgumentException("window must be >= 5, was " + window);
        }
        if (!(minT > 0) || Double.isInfinite(minT)) {
            throw new IllegalArgumentException("minT must be a finite number > 0, was " + minT);
        }
        if (!(limitBytes > 0) || Double.isInfinite(limitBytes)) {
            throw new IllegalArgumentException("limitBytes must be a finite number > 0, was " + limitBytes);
        }
        if (horizon == null || horizon.isNegative() || horizon.isZero()) {
            throw new IllegalArgumentException("horizon must be > 0, was " + horizon);
        }
        this.window = window;
        this.minT = minT;
        this.limitBytes = limitBytes;
        this.horizon = horizon;
        this.times = new double[window];
        this.values = new double[window];
    }

    /**
     * {@return a detector with window 60 collections, t above 5, horizon 24 h}
     *
     * @param limitBytes the heap limit a leak would reach, in bytes
     */
    public static MemoryLeakDetector forLimit(long limitBytes) {
        return new MemoryLeakDetector(60, 5, limitBytes, Duration.ofHours(24));
    }

    /**
     * Adds the heap used after one collection; true while a leak is flagged.
     *
     * @param atMillis when the collection ended, epoch milliseconds
     * @param heapAfterGcBytes heap in use after it, in bytes
     * @return true while a leak is flagged
     */
    public boolean update(long atMillis, double heapAfterGcBytes) {
        times[head] = atMillis;
        values[head] = heapAfterGcBytes;
        head = (head + 1) % window;
        size = Math.min(window, size + 1);
        lastValue = heapAfterGcBytes;
        lastTime = atMillis;
        leaking = false;
        if (size < 5) {
            return false;
        }
        double mt = 0;
        double mv = 0;
        for (int i = 0; i < size; i++) {
            mt += times[i];
            mv += values[i];
        }
        mt /= size;
        mv /= size;
        double stt = 0;
        double stv = 0;
        for (int i = 0; i < size; i++) {
            stt += (times[i] - mt) * (times[i] - mt);
            stv += (times[i] - mt) * (values[i] - mv);
        }
        if (stt == 0) {
            return false;
        }
        slopePerMs = stv / stt;
        double sse = 0;
        for (int i = 0; i < size; i++) {
            double r = values[i] - (mv + slopePerMs * (times[i] - mt));
            sse += r * r;
        }
        double se = Math.sqrt(sse / (size - 2) / stt);
        double t = se == 0 ? (slopePerMs > 0 ? Double.POSITIVE_INFINITY : 0) : slopePerMs / se;
        Optional<Duration> ttl = timeToLimit();
        leaking = slopePerMs > 0 && t > minT && ttl.isPresent() && ttl.get().compareTo(horizon) <= 0;
        return leaking;
    }

    /** {@return whether the last update flagged a leak} */
    public boolean leaking() {
        return leaking;
    }

    /** {@return the fitted growth in bytes per second (0 before 5 points)} */
    public double bytesPerSecond() {
        return slopePerMs * 1000;
    }

    /** {@return when the fitted line reaches the limit from the last point; empty when it does not rise} */
    public Optional<Duration> timeToLimit() {
        if (!(slopePerMs > 0) || size < 5) {
            return Optional.empty();
        }
        double ms = Math.max(0, (limitBytes - lastValue) / slopePerMs);
        return Optional.of(Duration.ofMillis((long) Math.min(ms, 1e15)));
    }

    /** {@return the time of the last point (epoch ms)} */
    public long lastMillis() {
        return (long) lastTime;
    }
}
