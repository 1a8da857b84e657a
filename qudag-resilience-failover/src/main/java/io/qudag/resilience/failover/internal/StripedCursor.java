package io.qudag.resilience.failover.internal;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A position in a routing schedule, striped by thread so that concurrent callers do not bounce one
 * cache line between cores (one counter per stripe, 128 bytes apart). Each stripe walks the whole
 * schedule, so every stripe, and therefore the sum of them, follows the weights exactly per cycle; a
 * single thread always uses the same stripe and sees the plain smooth-weighted sequence.
 */
final class StripedCursor {

    static final int STRIPES = 16;
    /** Longs between two counters: 16 × 8 = 128 bytes, two cache lines. */
    private static final int PAD = 16;

    private final AtomicLongArray cells = new AtomicLongArray((STRIPES + 1) * PAD);

    /** The next index in {@code [0, length)} on {@code stripe} (from {@link Stripes#current()}). */
    int next(int stripe, int length) {
        long v = cells.getAndIncrement(PAD + stripe * PAD);
        return (int) ((v & Long.MAX_VALUE) % length);
    }

    /**
     * Hands each calling thread a stripe, round robin on first use, so up to {@value #STRIPES} threads
     * never share one (thread ids and identity hashes can collide). One per group.
     */
    static final class Stripes {
        private final AtomicInteger next = new AtomicInteger();
        private final ThreadLocal<int[]> stripe =
                ThreadLocal.withInitial(() -> new int[] {next.getAndIncrement() & (STRIPES - 1)});

        int current() {
            return stripe.get()[0];
        }
    }
}
