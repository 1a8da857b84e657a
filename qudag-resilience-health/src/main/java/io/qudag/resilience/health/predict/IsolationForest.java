package io.qudag.resilience.health.predict;

import java.util.SplittableRandom;

/**
 * An isolation forest (Liu, Ting and Zhou, 2008), the spec's §2.1 {@code anomaly_detection} algorithm:
 * {@code trees} random trees, each grown on a random subsample of {@code sampleSize} points by
 * splitting a random feature at a random value until points are isolated or the depth limit
 * {@code ceil(log2 sampleSize)} is reached. Anomalies are isolated in few splits: the score
 * {@code 2^(-E[h(x)] / c(sampleSize))} is near 1 for anomalies and at most about 0.5 for normal points.
 *
 * <p>Deterministic: the same data and seed give the same forest. Immutable after {@link #fit}; trees
 * live in flat arrays, so {@link #score(double[])} allocates nothing and is thread-safe.
 */
public final class IsolationForest {

    private static final double EULER = 0.5772156649015329;

    private final int trees;
    private final int dimensions;
    private final int nodesPerTree;
    private final double normaliser;
    /** Per node: split feature, or -1 for a leaf. */
    private final int[] feature;
    private final double[] split;
    private final int[] left;
    private final int[] right;
    /** For a leaf: the path-length correction c(size) plus its depth. */
    private final double[] leafValue;

    private IsolationForest(int trees, int dimensions, int sampleSize) {
        this.trees = trees;
        this.dimensions = dimensions;
        this.nodesPerTree = 2 * sampleSize - 1;
        this.normaliser = c(sampleSize);
        int n = trees * nodesPerTree;
        feature = new int[n];
        split = new double[n];
        left = new int[n];
        right = new int[n];
        leafValue = new double[n];
    }

    /**
     * Grows a forest on {@code data} (rows of equal length).
     *
     * @param data       the training points, rows of equal length
     * @param trees      number of trees ({@code >= 1}, 100 is the usual choice)
     * @param sampleSize points per tree ({@code >= 2}; capped at the number of rows; 256 is usual)
     * @param seed       the random seed
     * @return the fitted forest
     */
    public static IsolationForest fit(double[][] data, int trees, int sampleSize, long seed) {
        if (data == null || data.length < 2) {
            throw new IllegalArgumentException("data must have at least 2 rows, had "
                    + (data == null ? "null" : data.length));
        }
        if (trees < 1) {
            throw new IllegalArgumentException("trees must be >= 1, was " + trees);
        }
        if (sampleSize < 2) {
            throw new IllegalArgumentException("sampleSize must be >= 2, was " + sampleSize);
        }
        int dims = data[0].length;
        for (int i = 0; i < data.length; i++) {
            if (data[i] == null || data[i].length != dims || dims == 0) {
                throw new IllegalArgumentException("data[" + i + "] must have " + dims + " > 0 values, had "
                        + (data[i] == null ? "null" : data[i].length));
            }
        }
        int psi = Math.min(sampleSize, data.length);
        IsolationForest f = new IsolationForest(trees, dims, psi);
        SplittableRandom random = new SplittableRandom(seed);
        int maxDepth = (int) Math.ceil(Math.log(psi) / Math.log(2));
        int[] idx = new int[data.length];
        for (int t = 0; t < trees; t++) {
            for (int i = 0; i < idx.length; i++) {
                idx[i] = i;
            }
            for (int i = 0; i < psi; i++) { // partial Fisher-Yates: the first psi are the subsample
                int j = i + random.nextInt(idx.length - i);
                int tmp = idx[i];
                idx[i] = idx[j];
                idx[j] = tmp;
            }
            int[] sample = java.util.Arrays.copyOf(idx, psi);
            int[] next = {t * f.nodesPerTree};
            f.grow(data, sample, 0, psi, 0, maxDepth, random, next);
        }
        return f;
    }

    private int grow(double[][] data, int[] rows, int from, int to, int depth, int maxDepth, SplittableRandom random,
                     int[] next) {
        int node = next[0]++;
        int size = to - from;
        if (size <= 1 || depth >= maxDepth) {
            return leaf(node, size, depth);
        }
        // a feature with spread; give up after a few tries (all points equal)
        for (int attempt = 0; attempt < dimensions * 2; attempt++) {
            int d = random.nextInt(dimensions);
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (int i = from; i < to; i++) {
                double v = data[rows[i]][d];
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            if (max > min) {
                double s = min + random.nextDouble() * (max - min);
                int mid = from;
                for (int i = from; i < to; i++) {
                    if (data[rows[i]][d] < s) {
                        int tmp = rows[i];
                        rows[i] = rows[mid];
                        rows[mid++] = tmp;
                    }
                }
                if (mid == from || mid == to) {
                    continue;
                }
                feature[node] = d;
                split[node] = s;
                left[node] = grow(data, rows, from, mid, depth + 1, maxDepth, random, next);
                right[node] = grow(data, rows, mid, to, depth + 1, maxDepth, random, next);
                return node;
            }
        }
        return leaf(node, size, depth);
    }

    private int leaf(int node, int size, int depth) {
        feature[node] = -1;
        leafValue[node] = depth + c(size);
        return node;
    }

    /**
     * {@return the anomaly score of {@code x} in (0, 1]} Allocation-free.
     *
     * @param x a point with as many dimensions as the training data
     */
    public double score(double[] x) {
        if (x.length != dimensions) {
            throw new IllegalArgumentException("x must have " + dimensions + " values, had " + x.length);
        }
        double total = 0;
        for (int t = 0; t < trees; t++) {
            int node = t * nodesPerTree;
            while (feature[node] >= 0) {
                node = x[feature[node]] < split[node] ? left[node] : right[node];
            }
            total += leafValue[node];
        }
        return Math.pow(2, -(total / trees) / normaliser);
    }

    /** {@return the number of features per point} */
    public int dimensions() {
        return dimensions;
    }

    /** The average path length of an unsuccessful search in a binary search tree of {@code n} points. */
    static double c(int n) {
        if (n <= 1) {
            return 0;
        }
        if (n == 2) {
            return 1;
        }
        return 2 * (Math.log(n - 1) + EULER) - 2.0 * (n - 1) / n;
    }
}
