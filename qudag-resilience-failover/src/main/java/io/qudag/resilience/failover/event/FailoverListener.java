package io.qudag.resilience.failover.event;

/**
 * Receives {@link FailoverEvent}s. Called on the thread that caused the event, after internal locks
 * are released; keep it short and do not throw (exceptions are logged and swallowed).
 */
@FunctionalInterface
public interface FailoverListener {

    void onEvent(FailoverEvent event);
}
