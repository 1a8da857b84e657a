package io.qudag.resilience.core.pipeline.internal;

import io.qudag.resilience.core.pipeline.CallWatchdog;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link CallWatchdog}: one thread, one {@link Slot} per caller thread. A slot's {@code stamp} is
 * {@code generation << 2 | state}; only the owner arms (new generation), only the watchdog moves
 * ARMED to FIRING to FIRED, and the owner's disarm is one compare-and-set from the stamp it armed, so a
 * late watchdog can never fire a later arm (the generation changed).
 *
 * <p>Wake-ups: the watchdog publishes when it will next wake ({@code wakeAt}); an arm whose deadline is
 * earlier, or that finds it scanning or stopped, unparks or restarts it. Both sides store, then load
 * (volatile), so either the scan sees the new arm or the arm sees the watchdog's state.
 */
public final class DefaultCallWatchdog implements CallWatchdog {

    /** The process-wide instance behind {@link CallWatchdog#shared()}. */
    public static final DefaultCallWatchdog SHARED = new DefaultCallWatchdog(r -> new Thread(r, "qudag-call-watchdog"));

    private static final Logger LOG = LoggerFactory.getLogger(DefaultCallWatchdog.class);
    private static final long IDLE_PARK_NANOS = 1_000_000_000L;
    private static final long SCANNING = Long.MIN_VALUE;
    private static final long STOPPED = Long.MIN_VALUE + 1;
    private static final long NONE = Long.MAX_VALUE;

    private final ThreadFactory threadFactory;
    private final ThreadLocal<Slot> slots = ThreadLocal.withInitial(this::register);
    private final ConcurrentLinkedQueue<Slot> registered = new ConcurrentLinkedQueue<>();
    private volatile long wakeAt = STOPPED;
    /**
     * The shortest time limit of the pipelines since the thread started: with nothing armed, the thread
     * sleeps no longer than that, so a new arm's deadline is never earlier than its planned wake-up
     * and arming wakes no one even for sparse calls.
     */
    private volatile long shortestLimitNanos = IDLE_PARK_NANOS;
    private final Object lock = new Object();
    /** Guarded by {@link #lock}. */
    private Thread thread;
    private int users;
    private boolean reviveRequested;

    public DefaultCallWatchdog(ThreadFactory threadFactory) {
        this.threadFactory = threadFactory;
    }

    /** Counts a pipeline with this time limit in; starts the thread if it is not running. */
    public void acquire(long timeLimitNanos) {
        synchronized (lock) {
            users++;
            if (timeLimitNanos > 0 && timeLimitNanos < shortestLimitNanos) {
                shortestLimitNanos = timeLimitNanos;
            }
            startIfStopped();
        }
    }

    /** Counts a pipeline out; the thread ends once no user is left and no slot is armed. */
    public void release() {
        Thread t;
        synchronized (lock) {
            if (users > 0) {
                users--;
            }
            t = thread;
        }
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    @Override
    public int users() {
        synchronized (lock) {
            return users;
        }
    }

    @Override
    public boolean isRunning() {
        synchronized (lock) {
            return thread != null;
        }
    }

    /** The calling thread's slot. */
    public Slot slot() {
        return slots.get();
    }

    private Slot register() {
        Slot s = new Slot(this, Thread.currentThread());
        registered.add(s);
        return s;
    }

    private void startIfStopped() {
        if (thread == null) {
            Thread t = threadFactory.newThread(this::loop);
            t.setDaemon(true);
            thread = t;
            wakeAt = SCANNING;
            t.start();
        } else {
            reviveRequested = true;
        }
    }

    /** Called by an arm that found the watchdog stopping or stopped. */
    private void revive() {
        synchronized (lock) {
            startIfStopped();
        }
    }

    private void loop() {
        try {
            for (;;) {
                wakeAt = SCANNING;
                long next = scan();
                if (next == NONE && noUsers()) {
                    wakeAt = STOPPED;
                    if (scan() == NONE && exit()) {
                        return;
                    }
                    continue;
                }
                long now = System.nanoTime();
                long idle = shortestLimitNanos;
                long sleep = next == NONE ? idle : Math.min(idle, next - now);
                if (sleep <= 0) {
                    continue;
                }
                wakeAt = now + sleep;
                LockSupport.parkNanos(this, sleep);
            }
        } catch (Throwable t) {
            LOG.error("call watchdog {} stopped by an unexpected error", Thread.currentThread().getName(), t);
            synchronized (lock) {
                thread = null;
                wakeAt = STOPPED;
            }
        }
    }

    private boolean noUsers() {
        synchronized (lock) {
            return users == 0;
        }
    }

    private boolean exit() {
        synchronized (lock) {
            if (users == 0 && !reviveRequested) {
                thread = null;
                shortestLimitNanos = IDLE_PARK_NANOS;
                return true;
            }
            reviveRequested = false;
            return false;
        }
    }

    /** Fires expired slots, forgets those of dead threads; the earliest deadline still armed, or NONE. */
    private long scan() {
        long now = System.nanoTime();
        long earliest = NONE;
        for (Iterator<Slot> it = registered.iterator(); it.hasNext();) {
            Slot s = it.next();
            long stamp = s.stamp;
            if ((stamp & Slot.STATE) != Slot.ARMED) {
                if (!s.owner.isAlive()) {
                    it.remove();
                }
                continue;
            }
            long deadline = s.deadline;
            if (deadline - now <= 0) {
                s.fire(stamp);
            } else if (earliest == NONE || deadline - earliest < 0) {
                earliest = deadline;
            }
        }
        return earliest;
    }

    /** One thread's reusable deadline. All methods but {@code fire} are for the owning thread only. */
    public static final class Slot {
        static final long STATE = 3;
        static final long IDLE = 0;
        static final long ARMED = 1;
        static final long FIRING = 2;
        static final long FIRED = 3;
        private static final VarHandle STAMP;

        static {
            try {
                STAMP = MethodHandles.lookup().findVarHandle(Slot.class, "stamp", long.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final DefaultCallWatchdog watchdog;
        final Thread owner;
        /** Written by the owner before the stamp that publishes it. */
        long deadline;
        volatile long stamp;
        /** Owner only: the generation of the last arm, and the stamp of the arm in force (0: none). */
        private long generation;
        private long armed;

        Slot(DefaultCallWatchdog watchdog, Thread owner) {
            this.watchdog = watchdog;
            this.owner = owner;
        }

        /** Whether a deadline of this thread is in force (an enclosing time-limited call). */
        public boolean isArmed() {
            return armed != 0;
        }

        /** The deadline in force ({@code System.nanoTime()} time); meaningful only while armed. */
        public long deadline() {
            return deadline;
        }

        /** Whether the deadline in force has fired (its interrupt is, or is about to be, set). */
        public boolean hasFired() {
            return armed != 0 && stamp != armed;
        }

        /** Arms a deadline ({@code System.nanoTime()} time); no allocation, no wake-up in steady state. */
        public void arm(long deadlineNanos) {
            deadline = deadlineNanos;
            long s = (++generation << 2) | ARMED;
            armed = s;
            stamp = s;
            long w = watchdog.wakeAt;
            if (w == SCANNING || w == STOPPED || deadlineNanos - w < 0) {
                watchdog.wake(w == STOPPED);
            }
        }

        /**
         * Takes the deadline in force off without waiting for an interrupt.
         *
         * @return false when it has already fired (the interrupt stays for its owner to clear)
         */
        public boolean suspend() {
            long s = armed;
            if (STAMP.compareAndSet(this, s, (s & ~STATE) | IDLE)) {
                armed = 0;
                return true;
            }
            return false;
        }

        /**
         * Takes the deadline in force off.
         *
         * @return whether it fired; then the watchdog's interrupt has been delivered and is cleared here
         */
        public boolean disarm() {
            long s = armed;
            armed = 0;
            if (STAMP.compareAndSet(this, s, (s & ~STATE) | IDLE)) {
                return false;
            }
            while ((stamp & STATE) != FIRED) {
                Thread.onSpinWait(); // the watchdog is between its compare-and-set and the interrupt
            }
            Thread.interrupted();
            return true;
        }

        /** Watchdog side: interrupts the owner if {@code s} is still the arm in force. */
        void fire(long s) {
            if (STAMP.compareAndSet(this, s, (s & ~STATE) | FIRING)) {
                try {
                    owner.interrupt();
                } finally {
                    stamp = (s & ~STATE) | FIRED;
                }
            }
        }
    }

    private void wake(boolean stopped) {
        if (stopped) {
            revive();
            return;
        }
        Thread t;
        synchronized (lock) {
            t = thread;
        }
        if (t == null) {
            revive();
        } else {
            LockSupport.unpark(t);
        }
    }
}
