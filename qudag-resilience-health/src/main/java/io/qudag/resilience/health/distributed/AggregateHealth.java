package io.qudag.resilience.health.distributed;

import io.qudag.resilience.health.HealthStatus;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * The health of one node of the distributed health tree (spec §2.2): a local agent, a regional
 * coordinator or the global controller, with the parts it was made of.
 *
 * @param name      the aggregator's name (host, region, "global")
 * @param level     LOCAL, REGIONAL or GLOBAL
 * @param status    UNKNOWN or the grade of the score
 * @param score     the 0–100 score, empty without data
 * @param unhealthy how many parts below it are CRITICAL (the correlated-failure signal)
 * @param parts     the parts (subjects for an agent, aggregates for a coordinator)
 */
public record AggregateHealth(String name, Level level, HealthStatus status, OptionalDouble score, int unhealthy,
                              List<AggregateHealth> parts) {

    /** The tiers of spec §2.2's architecture. */
    public enum Level {
        /** One monitored subject. */
        SUBJECT,
        /** One node: the subjects it monitors. */
        LOCAL,
        /** One region: its nodes. */
        REGIONAL,
        /** Every region. */
        GLOBAL
    }

    /**
     * Checks the components and copies the parts.
     *
     * @param name the aggregator's name (host, region, "global")
     * @param level LOCAL, REGIONAL or GLOBAL
     * @param status UNKNOWN or the grade of the score
     * @param score the 0–100 score, empty without data
     * @param unhealthy how many parts below it are CRITICAL (the correlated-failure signal)
     * @param parts the parts (subjects for an agent, aggregates for a coordinator)
     */
    public AggregateHealth {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(score, "score");
        parts = List.copyOf(parts);
    }
}
