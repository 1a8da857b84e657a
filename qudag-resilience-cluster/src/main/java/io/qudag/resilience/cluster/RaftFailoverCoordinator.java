package io.qudag.resilience.cluster;

import io.qudag.resilience.cluster.internal.DefaultRaftFailoverCoordinator;
import io.qudag.resilience.core.spi.FailoverCoordinator;
import io.qudag.resilience.failover.FailoverDecisionEngine;
import java.util.List;
import java.util.Map;

/**
 * The Raft-backed {@link FailoverCoordinator} (spec §1.2, failover coordination: raft consensus,
 * automatic leader election, quorum-based split-brain prevention).
 *
 * <p>Only the Raft leader decides: {@link #role} is LEADER only on the leader while it hears from a
 * quorum, FOLLOWER on a follower that hears from its leader, NO_QUORUM otherwise. A decision is
 * committed as the full routing change it makes (source endpoint, its new state and traffic factor,
 * the targets and every endpoint's share) and only then executed by the leader's engine. Every other
 * instance {@link #bind binds} its own engine: it applies each agreed decision from the replicated
 * state, so all instances route alike. Without a quorum no decision is taken, {@link #status} says
 * why, and every instance keeps serving the last agreed routing.
 *
 * <pre>{@code
 * RaftFailoverCoordinator coordinator = RaftFailoverCoordinator.create(cluster);
 * FailoverDecisionEngine engine = FailoverDecisionEngine.builder(group).coordinator(coordinator).build();
 * coordinator.bind(engine);
 * }</pre>
 */
public interface RaftFailoverCoordinator extends FailoverCoordinator, AutoCloseable {

    /** The namespace of the replicated state that holds the agreed decisions. */
    String NAMESPACE = "failover";

    /**
     * Creates a coordinator that agrees on failover decisions through {@code cluster}.
     *
     * @param cluster the Raft group member
     * @return the coordinator
     * @throws IllegalArgumentException when {@code cluster} is null
     */
    static RaftFailoverCoordinator create(RaftCluster cluster) {
        if (cluster == null) {
            throw new IllegalArgumentException("cluster must not be null, was null");
        }
        return new DefaultRaftFailoverCoordinator(cluster);
    }

    /**
     * Makes {@code engine} follow the agreed decisions of its group (by the group's name): those
     * already agreed are applied now, later ones as they are applied from the Raft log. Decisions this
     * coordinator committed itself are not applied again (its engine executed them).
     *
     * @throws IllegalArgumentException when an engine of the same group is bound already
     * @param engine the engine to bind
     */
    void bind(FailoverDecisionEngine engine);

    /**
     * {@return why this instance may or may not decide for {@code scope} now, and what was agreed last}
     *
     * @param scope the failover scope (an engine's group name)
     */
    CoordinationStatus status(String scope);

    /**
     * {@return every endpoint's agreed share of the traffic of {@code scope}, from the last agreed decision}
     *
     * @param scope the failover scope (an engine's group name)
     */
    Map<String, Double> agreedRouting(String scope);

    /**
     * {@return the agreed decisions of {@code scope} (their committed JSON payloads), oldest first}
     *
     * @param scope the failover scope (an engine's group name)
     */
    List<String> agreedDecisions(String scope);

    /** Stops following: unbinds the engines. The cluster stays up. */
    @Override
    void close();

    /**
     * @param role              what {@link #role} answers now
     * @param reason            why (the cluster's quorum view)
     * @param lastDecisionId    the id of the last agreed decision of the scope, or {@code null}
     * @param lastDecisionIndex its Raft log index, or -1
     * @param lastRefusal       why the last commit of this instance failed, or {@code null}
     */
    record CoordinationStatus(Role role, String reason, String lastDecisionId, long lastDecisionIndex,
                              String lastRefusal) {
    }
}
