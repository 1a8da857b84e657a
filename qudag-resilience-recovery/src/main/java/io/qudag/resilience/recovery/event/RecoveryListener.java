package io.qudag.resilience.recovery.event;

/**
 * Receives {@link RecoveryEvent}s (spec §4.1), on the thread doing the recovery step. Keep it short;
 * exceptions are logged and swallowed.
 */
@FunctionalInterface
public interface RecoveryListener {

    /**
     * Receives one event.
     *
     * @param event the event
     */
    void onEvent(RecoveryEvent event);
}
