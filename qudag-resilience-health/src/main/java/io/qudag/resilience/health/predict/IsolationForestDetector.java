package io.qudag.resilience.health.predict;

import io.qudag.resilience.health.spi.AnomalyDetector;

/**
 * A streaming detector over one series built on {@link IsolationForest} (spec §2.1
 * {@code anomaly_detection: isolation_forest}, {@code adaptation_rate}). Each sample becomes the point
 * {@code (value, value - previous)}; the forest is fitted on the first {@code trainingSize} points and
 * refitted every {@code refitEvery} samples on the latest unflagged points, so it adapts to slow
 * drift. A sample is anomalous when its score exceeds {@code threshold}. Only a refit allocates.
 */
public final class IsolationForestDetector implements AnomalyDetector {

    private final int trainingSize;
    private final int refitEvery;
    private final double threshold;
    private final long seed;
    private final int trees;
    private final double[][] ring;
    private final double[] point = new double[2];
    private int size;
    private int head;
    private long sinceFit;
    private double previous = Double.NaN;
    private IsolationForest forest;
    private double lastScore;
    private long fits;

    /**
     * @param trainingSize points kept for fitting ({@code >= 16})
     * @param refitEvery   samples between refits ({@code >= 1})
     * @param trees        trees per forest ({@code >= 1})
     * @param threshold    score that flags, in (0.5, 1)
     * @param seed         the seed of every fit (fit number {@code k} uses {@code seed + k})
     */
    public IsolationForestDetector(int trainingSize, int refitEvery, int trees, double threshold, long seed) {
        if (trainingSize < 16) {
            throw new IllegalArgumentException("trainingSize must be >= 16, was " + trainingSize);
        }
        if (refitEvery < 1) {
            throw new IllegalArgumentException("refitEvery must be >= 1, was " + refitEvery);
        }
        if (trees < 1) {
            throw new IllegalArgumentException("trees must be >= 1, was " + trees);
        }
        if (!(threshold > 0.5 && threshold < 1)) {
            throw new IllegalArgumentException("threshold must be in (0.5, 1), was " + threshold);
        }
        this.trainingSize = trainingSize;
        this.refitEvery = refitEvery;
        this.trees = trees;
        this.threshold = threshold;
        this.seed = seed;
        this.ring = new double[trainingSize][2];
    }

    /** {@return 256 training points, refit every 1,024 samples, 100 trees, threshold 0.7, seed 42} */
    public static IsolationForestDetector defaults() {
        return new IsolationForestDetector(256, 1024, 100, 0.7, 42);
    }

    @Override
    public boolean update(double value) {
        point[0] = value;
        point[1] = Double.isNaN(previous) ? 0 : value - previous;
        previous = value;
        boolean anomalous = false;
        if (forest != null) {
            lastScore = forest.score(point);
            anomalous = lastScore > threshold;
        }
        if (!anomalous) {
            ring[head][0] = point[0];
            ring[head][1] = point[1];
            head = (head + 1) % trainingSize;
            size = Math.min(trainingSize, size + 1);
        }
        sinceFit++;
        if (size == trainingSize && (forest == null || sinceFit >= refitEvery)) {
            forest = IsolationForest.fit(ring, trees, trainingSize, seed + fits++);
            sinceFit = 0;
        }
        return anomalous;
    }

    @Override
    public double lastScore() {
        return lastScore;
    }

    /** {@return whether a forest has been fitted (before that nothing is flagged)} */
    public boolean trained() {
        return forest != null;
    }
}
