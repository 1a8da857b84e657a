package io.qudag.resilience.health.event;

/**
 * Receives {@link HealthAlertEvent}s (spec §2.1). Called on the thread that recorded the sample; keep
 * it short. An exception thrown here is logged and does not reach the caller or other listeners.
 */
@FunctionalInterface
public interface HealthAlertListener {
    /**
     * Called once per alert-level crossing. Must not throw.
     *
     * @param event the crossing
     */
    void onAlert(HealthAlertEvent event);
}
