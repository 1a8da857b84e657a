package io.qudag.resilience.health.predict;

import io.qudag.resilience.health.spi.AnomalyDetector;

/**
 * Connection-leak detection (spec §2.1 {@code connection_leak_detection}): active connections that
 * keep growing. Over the last {@code window} samples it counts rises and falls between consecutive
 * samples; it flags when at least {@code minRiseShare} of the changes are rises and the net growth over
 * the window is at least {@code minGrowth}. Ordinary load moves both ways and is not flagged; a pool
 * that never gets its connections back only rises. Allocation-free.
 */
public final class ConnectionLeakDetector implements AnomalyDetector {

    private final int window;
    private final double minRiseShare;
    private final double minGrowth;
    private final double[] ring;
    private int size;
    private int head;
    private double lastScore;

    /**
     * @param window       samples looked at ({@code >= 3})
     * @param minRiseShare share of changes that must be rises, in (0.5, 1]
     * @param minGrowth    net growth over the window ({@code > 0})
     */
    public ConnectionLeakDetector(int window, double minRiseShare, double minGrowth) {
        if (window < 3) {
            throw new IllegalArgumentException("window must be >= 3, was " + window);
        }
        if (!(minRiseShare > 0.5 && minRiseShare <= 1)) {
            throw new IllegalArgumentException("minRiseShare must be in (0.5, 1], was " + minRiseShare);
        }
        if (!(minGrowth > 0) || Double.isInfinite(minGrowth)) {
            throw new IllegalArgumentException("minGrowth must be a finite number > 0, was " + minGrowth);
        }
        this.window = window;
        this.minRiseShare = minRiseShare;
        this.minGrowth = minGrowth;
        this.ring = new double[window];
    }

    /** {@return a detector with window 30 samples, 80 % rises, growth of at least 20 connections} */
    public static ConnectionLeakDetector defaults() {
        return new ConnectionLeakDetector(30, 0.8, 20);
    }

    @Override
    public boolean update(double value) {
        ring[head] = value;
        head = (head + 1) % window;
        size = Math.min(window, size + 1);
        if (size < window) {
            lastScore = 0;
            return false;
        }
        int rises = 0;
        int changes = 0;
        double prev = ring[head]; // the oldest
        for (int k = 1; k < window; k++) {
            double v = ring[(head + k) % window];
            if (v != prev) {
                changes++;
                if (v > prev) {
                    rises++;
                }
            }
            prev = v;
        }
        double growth = prev - ring[head];
        lastScore = changes == 0 ? 0 : (double) rises / changes;
        return lastScore >= minRiseShare && growth >= minGrowth;
    }

    /** The share of rises among the changes in the window. */
    @Override
    public double lastScore() {
        return lastScore;
    }
}
