package io.qudag.resilience.core.event;

/**
 * Receives the coordination events of a {@code BreakerHierarchy} (spec §3.2). Called synchronously
 * under the hierarchy's coordination lock: keep it short, do not call back into the hierarchy's
 * coordination methods from another thread and do not throw (exceptions are logged and swallowed).
 */
@FunctionalInterface
public interface HierarchyEventListener {

    /**
     * Called for every hierarchy event, on the thread that caused it. Must not throw.
     *
     * @param event the event
     */
    void onEvent(HierarchyEvent event);
}
