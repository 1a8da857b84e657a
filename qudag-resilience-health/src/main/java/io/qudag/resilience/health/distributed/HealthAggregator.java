package io.qudag.resilience.health.distributed;

/**
 * One node of the distributed health tree of spec §2.2 (local agents, regional coordinators, global
 * controllers): anything that can report an {@link AggregateHealth}. Aggregators compose: a
 * {@link HealthCoordinator} aggregates other aggregators, remote ones included (implement this over
 * any transport).
 */
@FunctionalInterface
public interface HealthAggregator {

    /** {@return the current aggregate} Must not block for long. */
    AggregateHealth aggregate();
}
