package io.qudag.resilience.failover.internal;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A position in a routing schedule, striped by thread so that concurrent callers do not bounce one
 * cache line between cores (one counter per stripe, 128 bytes apart). Each stripe walks the whole
 * schedule, so every stripe, and therefore the sum of them, follows the weights exactly per cycle; a
 * single thread always uses the same stripe and sees the plain smooth-weighted sequence.
 */
final class StripedCursor {

    private static final int STRIPES = 16;
    /** Longs between two counters: 16 × 8 = 128 bytes, two cache lines. */
    private static final int PAD = 16;

    private final AtomicLongArray cells = new AtomicLongArray((STRIPES + 1) * PAD);

    /** The next index in {@code [0, length)} for the calling thread's stripe. */
    int next(int length) {
        int h = System.identityHashCode(Thread.currentThread());
        int stripe = (h ^ (h >>> 16)) & (STRIPES - 1);
        long v = cells.getAndIncrement(PAD + stripe * PAD);
        return (int) ((v & Long.MAX_VALUE) % length);
    }
}
