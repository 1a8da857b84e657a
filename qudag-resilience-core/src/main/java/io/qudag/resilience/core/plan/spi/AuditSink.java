package io.qudag.resilience.core.plan.spi;

import io.qudag.resilience.core.plan.event.PlanEvent;

/**
 * Where a disaster-recovery plan writes its audit trail (spec §4.3): every transition and every
 * step's start, end and outcome, in order. A recovery journal implements it to make the trail
 * durable. Called on the plan's dispatching thread, outside its lock; an exception is logged and the
 * plan goes on.
 */
@FunctionalInterface
public interface AuditSink {

    /**
     * Stores one entry.
     *
     * @param entry the plan event
     */
    void record(PlanEvent entry);

    /** {@return a sink that stores nothing (the plan still keeps its in-memory trail)} */
    static AuditSink none() {
        return entry -> { };
    }
}
