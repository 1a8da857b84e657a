package io.qudag.resilience.cluster;

import io.qudag.resilience.health.spi.HealthComponent;
import java.util.function.Supplier;

/**
 * This instance's place in a Raft group as a section of the health module's served report (spec
 * §1.2, §2.1 and §2.2 health status reporting): register it on the health endpoint and {@code /health}
 * carries {@code "cluster": {status, peer, role, leader, term, members, quorum, reason,
 * lastAppliedIndex}} (see {@link ClusterHealthReport.Cluster}).
 *
 * <pre>{@code
 * HealthHttpEndpoint endpoint = HealthHttpEndpoint.builder(system)
 *         .component(ClusterHealthComponent.of(cluster))
 *         .component(ClusterHealthComponent.of("journal", replicatedJournal::status))
 *         .build().start();
 * }</pre>
 */
public final class ClusterHealthComponent implements HealthComponent {

    private final String name;
    private final Supplier<ClusterStatus> status;

    private ClusterHealthComponent(String name, Supplier<ClusterStatus> status) {
        this.name = name;
        this.status = status;
    }

    /**
     * The section {@code cluster} with {@code cluster}'s status.
     *
     * @param cluster the cluster whose {@link RaftCluster#status()} the section shows
     * @return the component
     * @throws IllegalArgumentException when {@code cluster} is null
     */
    public static ClusterHealthComponent of(RaftCluster cluster) {
        if (cluster == null) {
            throw new IllegalArgumentException("cluster must not be null, was null");
        }
        return new ClusterHealthComponent("cluster", cluster::status);
    }

    /**
     * A section named {@code name} from any source of statuses (e.g. a {@link ReplicatedJournal}'s).
     *
     * @param name   the section name ({@link HealthComponent#NAME}, not a reserved name)
     * @param status where the section reads the status each time it is rendered
     * @return the component
     * @throws IllegalArgumentException naming the value when {@code name} is invalid or reserved, or {@code status} is null
     */
    public static ClusterHealthComponent of(String name, Supplier<ClusterStatus> status) {
        if (name == null || !NAME.matcher(name).matches() || RESERVED_NAMES.contains(name)) {
            throw new IllegalArgumentException("name must match " + NAME.pattern() + " and not be one of "
                    + RESERVED_NAMES + ", was " + name);
        }
        if (status == null) {
            throw new IllegalArgumentException("status must not be null, was null");
        }
        return new ClusterHealthComponent(name, status);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ClusterHealthReport.Cluster describe() {
        return ClusterHealthReport.Cluster.of(status.get());
    }
}
