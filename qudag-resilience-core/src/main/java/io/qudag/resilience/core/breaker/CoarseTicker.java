package io.qudag.resilience.core.breaker;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * A monotonic {@code System.nanoTime()}-style ticker that a refresher thread samples every
 * {@code resolution}; reading it is one volatile read instead of a clock read (~27 ns on a VM whose
 * clock source is kvm-clock). Its readings lag {@code System.nanoTime()} by at most about one
 * resolution, so durations measured on it are accurate to the resolution. Use it where that is enough:
 * the {@link AdaptiveCircuitBreaker}'s window and state times (spec §3.1; its buckets are seconds wide)
 * through {@link AdaptiveCircuitBreaker.Builder#ticker}, a pipeline's call timing through
 * {@code ResiliencePipelineBuilder#nanoTime}, or any window that takes a {@link LongSupplier}. The
 * breaker's straggler slack widens to {@code max(1 ms, 2 × resolution)} on it.
 *
 * <p>{@link #shared(Duration)} hands out one refresher thread per resolution to the whole process,
 * counted by handle: each handle's {@link #close()} gives it back, and the thread ends with the last
 * handle. {@link #start} makes one of its own (injected source and thread factory);
 * {@link #driven} makes one without a thread that only {@link #refresh()} moves, for tests and for
 * callers with a timer of their own. A closed handle never freezes: it answers
 * {@code source} readings directly.
 */
public final class CoarseTicker implements LongSupplier, AutoCloseable {

    private static final long MAX_RESOLUTION_NANOS = Duration.ofMinutes(1).toNanos();
    private static final Map<Long, Refresher> SHARED = new HashMap<>();

    private final Refresher refresher;
    private final boolean sharedHandle;
    private boolean closed;

    private CoarseTicker(Refresher refresher, boolean sharedHandle) {
        this.refresher = refresher;
        this.sharedHandle = sharedHandle;
    }

    /**
     * {@return a handle on the process-wide ticker of this resolution ({@code System.nanoTime()} sampled by one
     * daemon thread named {@code qudag-coarse-ticker-<resolution>}), started by the first handle}
     *
     * @param resolution how often the time is sampled; between 1 µs and 1 minute
     * @throws IllegalArgumentException when {@code resolution} is not between 1 µs and 1 minute
     */
    public static CoarseTicker shared(Duration resolution) {
        long nanos = validResolution(resolution);
        synchronized (SHARED) {
            Refresher r = SHARED.get(nanos);
            if (r == null) {
                r = new Refresher(System::nanoTime, nanos);
                r.start(task -> new Thread(task, "qudag-coarse-ticker-" + resolution));
                SHARED.put(nanos, r);
            }
            r.users++;
            return new CoarseTicker(r, true);
        }
    }

    /**
     * {@return a ticker of its own: {@code source} sampled every {@code resolution} by a daemon thread from
     * {@code threadFactory}; {@link #close()} stops it}
     *
     * @param source the nano-time source sampled
     * @param resolution how often it is sampled; between 1 µs and 1 minute
     * @param threadFactory makes the sampling thread
     */
    public static CoarseTicker start(LongSupplier source, Duration resolution, ThreadFactory threadFactory) {
        long nanos = validResolution(resolution);
        requireNonNull(source, "source");
        requireNonNull(threadFactory, "threadFactory");
        Refresher r = new Refresher(source, nanos);
        r.users = 1;
        r.start(threadFactory);
        return new CoarseTicker(r, false);
    }

    /**
     * {@return a ticker without a thread: it reads {@code source} when created and on each {@link #refresh()}}
     *
     * @param source the nano-time source read
     * @param resolution the resolution the ticker reports; between 1 µs and 1 minute
     */
    public static CoarseTicker driven(LongSupplier source, Duration resolution) {
        long nanos = validResolution(resolution);
        requireNonNull(source, "source");
        Refresher r = new Refresher(source, nanos);
        r.users = 1;
        return new CoarseTicker(r, false);
    }

    /** The last sample of the source (the source itself once stopped). */
    @Override
    public long getAsLong() {
        long t = refresher.now;
        return t != Refresher.STOPPED ? t : refresher.source.getAsLong();
    }

    /** {@return how often the source is sampled: how far behind it a reading may be} */
    public Duration resolution() {
        return Duration.ofNanos(refresher.resolutionNanos);
    }

    /** {@return {@link #resolution()} in nanoseconds} */
    public long resolutionNanos() {
        return refresher.resolutionNanos;
    }

    /** Samples the source now (the refresher does this every resolution). */
    public void refresh() {
        refresher.sample();
    }

    /** {@return whether a refresher thread still samples for this handle} */
    public boolean isRefreshing() {
        Thread t = refresher.thread;
        return t != null && t.isAlive() && refresher.now != Refresher.STOPPED;
    }

    /**
     * Gives this handle back; the refresher stops with the last handle of it. Idempotent. Readings go
     * on, straight from the source.
     */
    @Override
    public void close() {
        if (sharedHandle) {
            synchronized (SHARED) {
                if (closed) {
                    return;
                }
                closed = true;
                if (--refresher.users == 0) {
                    SHARED.remove(refresher.resolutionNanos, refresher);
                    refresher.stop();
                }
            }
        } else {
            synchronized (this) {
                if (closed) {
                    return;
                }
                closed = true;
            }
            refresher.stop();
        }
    }

    @Override
    public String toString() {
        return "CoarseTicker{resolution=" + resolution() + '}';
    }

    private static long validResolution(Duration resolution) {
        if (resolution == null) {
            throw new IllegalArgumentException("resolution must not be null, was null");
        }
        if (resolution.compareTo(Duration.ofNanos(1_000)) < 0 || resolution.toNanos() > MAX_RESOLUTION_NANOS) {
            throw new IllegalArgumentException("resolution must be between 1 µs and 1 minute, was " + resolution);
        }
        return resolution.toNanos();
    }

    private static void requireNonNull(Object value, String field) {
        if (value == null) {
            throw new IllegalArgumentException(field + " must not be null, was null");
        }
    }

    /** The sampled value and the thread that samples it. */
    private static final class Refresher implements Runnable {
        static final long STOPPED = Long.MIN_VALUE;
        private static final VarHandle NOW;

        static {
            try {
                NOW = MethodHandles.lookup().findVarHandle(Refresher.class, "now", long.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        final LongSupplier source;
        final long resolutionNanos;
        volatile long now;
        volatile Thread thread;
        /** Handles still open; guarded by the registry lock for shared refreshers. */
        int users;

        Refresher(LongSupplier source, long resolutionNanos) {
            this.source = source;
            this.resolutionNanos = resolutionNanos;
            this.now = source.getAsLong();
        }

        void start(ThreadFactory factory) {
            Thread t = factory.newThread(this);
            t.setDaemon(true);
            thread = t;
            t.start();
        }

        void sample() {
            long t = source.getAsLong();
            long seen = now;
            if (seen != STOPPED) {
                NOW.compareAndSet(this, seen, t == STOPPED ? t + 1 : t); // a stop in between wins
            }
        }

        void stop() {
            now = STOPPED;
            Thread t = thread;
            if (t != null) {
                LockSupport.unpark(t);
            }
        }

        @Override
        public void run() {
            while (now != STOPPED) {
                sample();
                LockSupport.parkNanos(this, resolutionNanos);
            }
        }
    }
}
