package io.qudag.resilience.chaos;

import java.time.Duration;

/** How an injector waits out a delay or a hang on the caller's thread; tests pass one that records. */
@FunctionalInterface
public interface Sleeper {

    /**
     * Waits {@code duration}.
     *
     * @param duration how long to wait
     * @throws InterruptedException when the waiting thread is interrupted
     */
    void sleep(Duration duration) throws InterruptedException;

    /** {@return a sleeper that really waits ({@link Thread#sleep(long, int)}), interruptibly} */
    static Sleeper system() {
        return d -> Thread.sleep(d.toMillis(), (int) (d.toNanos() % 1_000_000));
    }
}
