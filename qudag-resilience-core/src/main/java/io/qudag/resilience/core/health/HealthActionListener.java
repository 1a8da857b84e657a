package io.qudag.resilience.core.health;

import io.qudag.resilience.core.event.HealthActionEvent;

/**
 * Receives the automated-action events of a {@link HealthMonitor} (spec §2.1). Called on the thread
 * that ran {@link HealthMonitor#score()}; keep it short. An exception thrown here is logged and does
 * not stop other listeners.
 */
@FunctionalInterface
public interface HealthActionListener {
    /**
     * Called when an action becomes due or stops being due. Must not throw.
     *
     * @param event the crossing
     */
    void onEvent(HealthActionEvent event);
}
