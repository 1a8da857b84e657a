package io.qudag.resilience.core.pipeline;

import io.qudag.resilience.core.pipeline.internal.DefaultCallWatchdog;
import java.util.concurrent.ThreadFactory;

/**
 * The thread that enforces {@link TimeLimitMode#CALLER_THREAD} time limits (spec §1.3, the per-class timeouts): each caller
 * thread owns one reusable deadline slot, which a call arms before it runs (a plain and a volatile
 * store) and disarms after (one compare-and-set); the watchdog interrupts the owner of a slot whose
 * deadline has passed. Arming wakes no thread in steady state: the watchdog sleeps until the earliest
 * deadline it knows of, and with nothing armed no longer than the shortest time limit of its pipelines
(at most a second), so a new deadline is never earlier than its planned wake-up; it is woken only when
it is starting, scanning or stopped.
 *
 * <p>One watchdog serves any number of pipelines. Its one daemon thread starts with the first pipeline
 * that uses it and ends once the last one is closed and no call it guards is still running; a later
 * pipeline starts it again. {@link #shared()} is the process-wide instance the builder uses unless
 * another one is injected.
 */
public interface CallWatchdog {

    /** {@return the process-wide watchdog, whose thread is named {@code qudag-call-watchdog}} */
    static CallWatchdog shared() {
        return DefaultCallWatchdog.SHARED;
    }

    /**
     * {@return a watchdog of its own, e.g. for tests or to isolate a group of pipelines}
     *
     * @param threadFactory makes its thread (set to daemon before it starts)
     * @throws IllegalArgumentException when {@code threadFactory} is null
     */
    static CallWatchdog create(ThreadFactory threadFactory) {
        if (threadFactory == null) {
            throw new IllegalArgumentException("threadFactory must not be null, was null");
        }
        return new DefaultCallWatchdog(threadFactory);
    }

    /** {@return how many open pipelines use this watchdog} */
    int users();

    /** {@return whether its thread is running} */
    boolean isRunning();
}
