package io.qudag.resilience.core.plan.event;

/**
 * Receives the transitions of a disaster-recovery plan (spec §4.3), in order, outside the plan's
 * lock. Must not throw (exceptions are logged and swallowed).
 */
@FunctionalInterface
public interface PlanEventListener {

    /**
     * Called for every plan event, after it is in the audit trail. Must not throw.
     *
     * @param event the event
     */
    void onEvent(PlanEvent event);
}
