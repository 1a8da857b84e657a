package io.qudag.resilience.cluster;

import io.qudag.resilience.cluster.internal.DefaultSharedBreakers;
import io.qudag.resilience.core.breaker.BreakerState;
import io.qudag.resilience.core.hierarchy.BreakerHierarchy;
import io.qudag.resilience.core.hierarchy.BreakerLevel;
import io.qudag.resilience.core.hierarchy.BreakerPath;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The GLOBAL and REGIONAL levels of a {@link BreakerHierarchy} shared by every instance of a Raft
 * group (spec §3.2, hierarchical circuit breakers; §1.2, consensus). Opening, closing and forcing open
 * one of the shared breakers is a replicated command: once a quorum commits it every instance applies
 * it to its own hierarchy, so a region opened on one instance rejects calls on all of them. A shared
 * breaker that moves by itself on one instance (an escalation from the services below it, an approved
 * global proposal) is proposed to the group the same way. Escalation proposals and their decisions are
 * replicated too, so every instance sees them.
 *
 * <p>Per-call counting stays local: the call path never waits for consensus. Each instance publishes
 * the counters of its shared breakers every {@code aggregationInterval}; {@link #aggregatedFailureRate}
 * combines them. Without a quorum nothing is shared: {@link #open} and {@link #close} fail, and each
 * instance keeps its own breakers as they are.
 */
public interface SharedBreakers extends AutoCloseable {

    /** The namespace of the agreed breaker states. */
    String NAMESPACE = "breaker";
    /** The namespace of the replicated escalation proposals and decisions. */
    String ESCALATIONS = "breaker.escalation";
    /** The namespace of the periodically published per-instance counters. */
    String COUNTERS = "breaker.counters";

    /**
     * {@return a builder that shares breakers of {@code hierarchy} through {@code cluster}}
     *
     * @param cluster   the Raft group member
     * @param hierarchy the local breaker hierarchy
     */
    static Builder builder(RaftCluster cluster, BreakerHierarchy hierarchy) {
        return new Builder(cluster, hierarchy);
    }

    /**
     * Opens a shared breaker on every instance for {@code openFor} once a quorum agreed.
     *
     * @param path    the shared breaker
     * @param openFor how long it stays open
     * @param reason  why, recorded with the decision
     * @return the agreed entry, once committed
     */
    CompletableFuture<ReplicatedEntry> open(BreakerPath path, Duration openFor, String reason);

    /**
     * Forces a shared breaker open on every instance until it is closed.
     *
     * @param path   the shared breaker
     * @param reason why, recorded with the decision
     * @return the agreed entry, once committed
     */
    CompletableFuture<ReplicatedEntry> forceOpen(BreakerPath path, String reason);

    /**
     * Closes a shared breaker on every instance once a quorum agreed.
     *
     * @param path   the shared breaker
     * @param reason why, recorded with the decision
     * @return the agreed entry, once committed
     */
    CompletableFuture<ReplicatedEntry> close(BreakerPath path, String reason);

    /** {@return the agreed state of every shared breaker that has one} */
    Map<BreakerPath, BreakerState> agreedStates();

    /** {@return the replicated escalation events (proposals, approvals, denials), oldest first, as JSON} */
    List<String> escalations();

    /**
     * {@return the failure rate of a shared breaker across every instance's last published counters, weighted
     * by calls; {@code NaN} when no instance published calls for it}
     *
     * @param path the shared breaker
     */
    double aggregatedFailureRate(BreakerPath path);

    /**
     * Publishes this instance's counters of the shared breakers now (also done every interval).
     *
     * @return completes once the counters are committed
     */
    CompletableFuture<Void> publishCounters();

    /** Stops sharing: removes the listeners and stops the publication. The hierarchy keeps its states. */
    @Override
    void close();

    /** Builds {@link SharedBreakers}; validates in {@link #build()}. */
    final class Builder {
        private final RaftCluster cluster;
        private final BreakerHierarchy hierarchy;
        private final List<BreakerPath> paths = new ArrayList<>();
        private Duration aggregationInterval = Duration.ofSeconds(5);
        private ScheduledExecutorService executor;

        private Builder(RaftCluster cluster, BreakerHierarchy hierarchy) {
            this.cluster = cluster;
            this.hierarchy = hierarchy;
        }

        /**
         * Shares this breaker; it must be the GLOBAL one or a REGIONAL one. {@code global} is always shared.
         *
         * @param path the breaker
         * @return this builder
         */
        public Builder share(BreakerPath path) {
            paths.add(Objects.requireNonNull(path, "path"));
            return this;
        }

        /**
         * How often this instance publishes its counters; default 5 s.
         *
         * @param interval a positive duration
         * @return this builder
         */
        public Builder aggregationInterval(Duration interval) {
            this.aggregationInterval = interval;
            return this;
        }

        /**
         * Runs the proposals and the publication; default: one daemon thread owned by the instance.
         *
         * @param executor the executor (not shut down by {@code close()})
         * @return this builder
         */
        public Builder executor(ScheduledExecutorService executor) {
            this.executor = executor;
            return this;
        }

        /**
         * Validates and builds; starts the publication of the counters.
         *
         * @return the shared breakers
         * @throws IllegalArgumentException naming the field and value when one is missing or invalid
         */
        public SharedBreakers build() {
            if (cluster == null) {
                throw new IllegalArgumentException("cluster must not be null, was null");
            }
            if (hierarchy == null) {
                throw new IllegalArgumentException("hierarchy must not be null, was null");
            }
            List<BreakerPath> all = new ArrayList<>();
            all.add(BreakerPath.global());
            for (BreakerPath p : paths) {
                if (p.level() != BreakerLevel.GLOBAL && p.level() != BreakerLevel.REGIONAL) {
                    throw new IllegalArgumentException("share.path must be the GLOBAL breaker or a REGIONAL one, was "
                            + p + " (" + p.level() + ')');
                }
                if (!all.contains(p)) {
                    all.add(p);
                }
            }
            if (aggregationInterval == null || aggregationInterval.isNegative() || aggregationInterval.isZero()) {
                throw new IllegalArgumentException("aggregationInterval must be positive, was " + aggregationInterval);
            }
            return new DefaultSharedBreakers(cluster, hierarchy, all, aggregationInterval, executor);
        }
    }
}
