package io.qudag.resilience.failover.event;

/**
 * Receives {@link FailoverEvent}s. Called on the thread that caused the event, after internal locks
 * are released; keep it short and do not throw (exceptions are logged and swallowed).
 */
@FunctionalInterface
public interface FailoverListener {

    /**
     * Called for every failover event, on the thread that caused it. Must not throw.
     *
     * @param event the event
     */
    void onEvent(FailoverEvent event);
}
