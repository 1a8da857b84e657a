package io.qudag.resilience.core.health;

import io.qudag.resilience.core.event.HealthActionEvent;

/**
 * Receives the automated-action events of a {@link HealthMonitor} (spec §2.1). Called on the thread
 * that ran {@link HealthMonitor#score()}; keep it short. An exception thrown here is logged and does
 * not stop other listeners.
 */
@FunctionalInterface
public interface HealthActionListener {
    void onEvent(HealthActionEvent event);
}
