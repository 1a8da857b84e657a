package io.qudag.resilience.cluster;

import io.micrometer.core.instrument.MeterRegistry;
import io.qudag.resilience.cluster.event.ClusterListener;
import io.qudag.resilience.cluster.internal.DefaultRaftCluster;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One member of a Raft group run by Apache Ratis (spec §1.2: raft consensus, automatic leader
 * election, quorum-based split-brain prevention). It carries a small replicated state: keyed JSON
 * values in namespaces, committed by a quorum in one total order and applied on every member. The
 * failover coordinator and the shared breakers are built on it.
 *
 * <p>A group of one works the same way (it elects itself), so the embedded single-process setup and
 * a group of several machines run the same code.
 *
 * <pre>{@code
 * RaftClusterConfig config = RaftClusterConfig.builder()
 *         .peer("a", "10.0.0.1", 9871).peer("b", "10.0.0.2", 9871).peer("c", "10.0.0.3", 9871)
 *         .localPeerId("a").storageDirectory(Path.of("/var/lib/qudag/raft"))
 *         .build();
 * try (RaftCluster cluster = RaftCluster.builder(config).meterRegistry(registry).build()) {
 *     cluster.start();
 *     ClusterStatus s = cluster.status();
 * }
 * }</pre>
 */
public interface RaftCluster extends AutoCloseable {

    /**
     * {@return a builder of a member with {@code config}}
     *
     * @param config the group and this peer (validated by {@code build()})
     */
    static Builder builder(RaftClusterConfig config) {
        return new Builder(config);
    }

    /** {@return the configuration this member runs with} */
    RaftClusterConfig config();

    /**
     * Starts this peer's Raft server and client. Returns once the server runs; the election happens
     * in the background (watch {@link #status()}). Checks the storage directory first.
     *
     * @throws IllegalStateException when the storage directory cannot be written or the server fails to start
     */
    void start();

    /** {@return this peer's view now} Cheap, never blocks on the network. */
    ClusterStatus status();

    /**
     * Replicates {@code value} as the new value of {@code key} in {@code namespace}. Completes with the
     * applied entry once a quorum committed it and this peer applied it; completes exceptionally when
     * it was not committed within the commit timeout (no quorum, or the group is stopped). Never
     * blocks the caller.
     *
     * @param namespace the namespace
     * @param key       the key within the namespace
     * @param value     the new value (JSON)
     * @return the applied entry, once committed and applied here
     */
    CompletableFuture<ReplicatedEntry> replicate(String namespace, String key, String value);

    /**
     * As {@link #replicate}, but committed only while this peer is the leader: the leader refuses it
     * from anyone else, so a peer that lost the leadership between deciding and proposing decides
     * nothing (only the leader decides).
     *
     * @param namespace the namespace
     * @param key       the key within the namespace
     * @param value     the new value (JSON)
     * @return the applied entry, once committed by this leader and applied here
     */
    CompletableFuture<ReplicatedEntry> replicateAsLeader(String namespace, String key, String value);

    /**
     * {@return the latest committed value of a key as applied on this peer}
     *
     * @param namespace the namespace
     * @param key       the key within the namespace
     */
    Optional<ReplicatedEntry> get(String namespace, String key);

    /**
     * {@return every key of a namespace with its latest committed value, as applied on this peer}
     *
     * @param namespace the namespace
     */
    Map<String, ReplicatedEntry> entries(String namespace);

    /**
     * {@return the most recent entries of a namespace (at most 1000), oldest first, as applied on this peer}
     *
     * @param namespace the namespace
     */
    List<ReplicatedEntry> history(String namespace);

    /**
     * Adds a listener of what the group does (applied entries, leader and membership changes).
     *
     * @param listener the listener
     */
    void addListener(ClusterListener listener);

    /**
     * Removes a listener added before; nothing happens for an unknown one.
     *
     * @param listener the listener
     */
    void removeListener(ClusterListener listener);

    /** Stops the client and the server; idempotent. The storage directory stays. */
    @Override
    void close();

    /** Builds a {@link RaftCluster}. */
    final class Builder {
        private final RaftClusterConfig config;
        private MeterRegistry meterRegistry;

        private Builder(RaftClusterConfig config) {
            this.config = config;
        }

        /**
         * Where the {@code qudag.resilience.cluster.*} meters go; none without one.
         *
         * @param registry the registry, or null for none
         * @return this builder
         */
        public Builder meterRegistry(MeterRegistry registry) {
            this.meterRegistry = registry;
            return this;
        }

        /**
         * Builds the member (does not start it).
         *
         * @return the member
         * @throws IllegalArgumentException when the config is null
         */
        public RaftCluster build() {
            if (config == null) {
                throw new IllegalArgumentException("config must not be null, was null");
            }
            return new DefaultRaftCluster(config, meterRegistry);
        }
    }
}
