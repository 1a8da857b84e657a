package io.qudag.resilience.chaos.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A lock-free, allocation-free random source with a seed: SplitMix64 (the generator behind
 * {@link java.util.SplittableRandom}) over an atomic counter. The same seed gives the same sequence to
 * calls made one after another; concurrent callers share it safely.
 */
public final class SeededRandom {

    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;
    private final AtomicLong state;

    public SeededRandom(long seed) {
        this.state = new AtomicLong(seed);
    }

    public long nextLong() {
        long z = state.addAndGet(GOLDEN_GAMMA);
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, 1). */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [0, bound). */
    public int nextInt(int bound) {
        return (int) ((nextLong() >>> 33) % bound);
    }
}
