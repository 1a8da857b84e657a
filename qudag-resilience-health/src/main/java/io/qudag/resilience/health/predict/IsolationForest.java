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
 *
 * <h2>Layout</h2>
 * After fitting, every tree is stored as a complete binary tree of the depth limit {@code D} in
 * breadth-first (heap) order: split features and values in flat arrays ({@code 2^D - 1} per tree, the
 * children of slot {@code i} at {@code 2i + 1} and {@code 2i + 2}) and leaf values ({@code 2^D} per
 * tree: depth plus {@code c(size)}). A leaf the tree reached above the depth limit fills its whole
 * subtree, so every descent takes exactly {@code D} steps, whichever way the padding splits send it,
 * and ends at the same value as in the grown tree. Descents of four trees run interleaved (independent
 * chains of loads overlap); the leaf values are added in tree order, so the score is the same as a
 * tree-by-tree walk. No node objects, no boxing.
 */
public final class IsolationForest {

    private static final double EULER = 0.5772156649015329;

    private final int trees;
    private final int dimensions;
    private final double normaliser;
    /** The depth limit D: every descent takes D steps. */
    private final int depth;
    /** Internal slots per tree, {@code 2^D - 1}. */
    private final int internal;
    /** Per internal slot: the split feature and value (padding slots: feature 0, value 0). */
    private final int[] feature;
    private final double[] split;
    /** Per leaf slot ({@code 2^D} per tree): depth plus c(size) of the leaf that covers it. */
    private final double[] leaf;

    private IsolationForest(Growth g) {
        this.trees = g.trees;
        this.dimensions = g.dimensions;
        this.normaliser = c(g.sampleSize);
        this.depth = g.maxDepth;
        this.internal = (1 << depth) - 1;
        this.feature = new int[trees * internal];
        this.split = new double[trees * internal];
        this.leaf = new double[trees * (internal + 1)];
        for (int t = 0; t < trees; t++) {
            place(g, t * g.nodesPerTree, 0, 0, t);
        }
    }

    /** Copies grown node {@code node} (at {@code level}) into heap slot {@code slot} of tree {@code t}. */
    private void place(Growth g, int node, int slot, int level, int t) {
        if (g.feature[node] < 0) {
            // a leaf: every leaf slot below this slot gets its value
            int first = slot;
            int count = 1;
            for (int l = level; l < depth; l++) {
                first = 2 * first + 1;
                count *= 2;
            }
            int base = t * (internal + 1) + first - internal;
            java.util.Arrays.fill(leaf, base, base + count, g.leafValue[node]);
            return;
        }
        feature[t * internal + slot] = g.feature[node];
        split[t * internal + slot] = g.split[node];
        place(g, node + 1, 2 * slot + 1, level + 1, t); // the left child is grown right after its parent
        place(g, g.right[node], 2 * slot + 2, level + 1, t);
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
        int maxDepth = (int) Math.ceil(Math.log(psi) / Math.log(2));
        Growth f = new Growth(trees, dims, psi, maxDepth);
        SplittableRandom random = new SplittableRandom(seed);
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
        return new IsolationForest(f);
    }

    /** The trees while they grow: node arrays of {@code 2 * sampleSize - 1} nodes per tree. */
    private static final class Growth {
        final int trees;
        final int dimensions;
        final int sampleSize;
        final int nodesPerTree;
        /** Per node: split feature, or -1 for a leaf. */
        final int[] feature;
        final double[] split;
        final int[] right;
        /** For a leaf: the path-length correction c(size) plus its depth. */
        final double[] leafValue;
        final int maxDepth;

        Growth(int trees, int dimensions, int sampleSize, int maxDepth) {
            this.trees = trees;
            this.dimensions = dimensions;
            this.sampleSize = sampleSize;
            this.maxDepth = maxDepth;
            this.nodesPerTree = 2 * sampleSize - 1;
            int n = trees * nodesPerTree;
            feature = new int[n];
            split = new double[n];
            right = new int[n];
            leafValue = new double[n];
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
                    grow(data, rows, from, mid, depth + 1, maxDepth, random, next); // the left child: node + 1
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
        int[] feature = this.feature;
        double[] split = this.split;
        double[] leaf = this.leaf;
        int internal = this.internal;
        int leaves = internal + 1;
        double total = 0;
        int t = 0;
        for (; t + 4 <= trees; t += 4) {
            int b0 = t * internal;
            int b1 = b0 + internal;
            int b2 = b1 + internal;
            int b3 = b2 + internal;
            int i0 = 0;
            int i1 = 0;
            int i2 = 0;
            int i3 = 0;
            for (int d = 0; d < depth; d++) {
                i0 = 2 * i0 + (x[feature[b0 + i0]] < split[b0 + i0] ? 1 : 2);
                i1 = 2 * i1 + (x[feature[b1 + i1]] < split[b1 + i1] ? 1 : 2);
                i2 = 2 * i2 + (x[feature[b2 + i2]] < split[b2 + i2] ? 1 : 2);
                i3 = 2 * i3 + (x[feature[b3 + i3]] < split[b3 + i3] ? 1 : 2);
            }
            int l0 = t * leaves - internal;
            total += leaf[l0 + i0];
            total += leaf[l0 + leaves + i1];
            total += leaf[l0 + 2 * leaves + i2];
            total += leaf[l0 + 3 * leaves + i3];
        }
        for (; t < trees; t++) {
            int b = t * internal;
            int i = 0;
            for (int d = 0; d < depth; d++) {
                i = 2 * i + (x[feature[b + i]] < split[b + i] ? 1 : 2);
            }
            total += leaf[t * leaves - internal + i];
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
