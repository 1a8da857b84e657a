package io.qudag.resilience.core.event;

/**
 * Receives the coordination events of a {@code BreakerHierarchy} (spec §3.2). Called synchronously
 * under the hierarchy's coordination lock: keep it short, do not call back into the hierarchy's
 * coordination methods from another thread and do not throw (exceptions are logged and swallowed).
 */
@FunctionalInterface
public interface HierarchyEventListener {

    void onEvent(HierarchyEvent event);
}
