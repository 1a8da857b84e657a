package io.qudag.resilience.health.distributed;

import io.qudag.resilience.core.health.HealthGrade;
import io.qudag.resilience.health.HealthStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * A regional health coordinator or the global health controller of spec §2.2: aggregates child
 * aggregators (agents under a region, regions under the controller). The score is the mean of the
 * children that have data, capped by {@code 100 x (1 - share of CRITICAL children)} so that a region
 * where many servers fail together (correlated failure) cannot look healthy on the strength of the
 * rest. {@link AggregateHealth#unhealthy()} counts CRITICAL children.
 */
public final class HealthCoordinator implements HealthAggregator {

    private final String name;
    private final AggregateHealth.Level level;
    private final List<HealthAggregator> children;

    private HealthCoordinator(String name, AggregateHealth.Level level, List<HealthAggregator> children) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank, was " + name);
        }
        if (children == null || children.isEmpty() || children.stream().anyMatch(java.util.Objects::isNull)) {
            throw new IllegalArgumentException("children must be a non-empty list without nulls, was " + children);
        }
        this.name = name;
        this.level = level;
        this.children = List.copyOf(children);
    }

    /**
     * {@return a regional coordinator over local agents (or anything else that aggregates)}
     *
     * @param name the region's name
     * @param agents the aggregators it combines
     */
    public static HealthCoordinator regional(String name, List<HealthAggregator> agents) {
        return new HealthCoordinator(name, AggregateHealth.Level.REGIONAL, agents);
    }

    /**
     * {@return the global controller over regional coordinators}
     *
     * @param name the controller's name
     * @param regions the regional coordinators it combines
     */
    public static HealthCoordinator global(String name, List<HealthAggregator> regions) {
        return new HealthCoordinator(name, AggregateHealth.Level.GLOBAL, regions);
    }

    @Override
    public AggregateHealth aggregate() {
        List<AggregateHealth> parts = new ArrayList<>(children.size());
        double sum = 0;
        int n = 0;
        int critical = 0;
        for (HealthAggregator c : children) {
            AggregateHealth a = c.aggregate();
            parts.add(a);
            if (a.score().isPresent()) {
                sum += a.score().getAsDouble();
                n++;
                if (a.status() == HealthStatus.CRITICAL) {
                    critical++;
                }
            }
        }
        if (n == 0) {
            return of(name, level, OptionalDouble.empty(), 0, parts);
        }
        double score = Math.min(sum / n, 100.0 * (1 - (double) critical / n));
        return of(name, level, OptionalDouble.of(score), critical, parts);
    }

    static AggregateHealth of(String name, AggregateHealth.Level level, OptionalDouble score, int unhealthy,
                              List<AggregateHealth> parts) {
        HealthStatus status = score.isPresent() ? HealthStatus.of(HealthGrade.of(score.getAsDouble()))
                : HealthStatus.UNKNOWN;
        return new AggregateHealth(name, level, status, score, unhealthy, parts);
    }
}
