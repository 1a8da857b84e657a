package io.qudag.resilience.core.spi;

/**
 * Who may make failover decisions (spec §1.2, failover_coordination: raft consensus, automatic
 * leader election, quorum-based split-brain prevention).
 *
 * <p>Deliberately narrow so that a Raft-backed implementation fits: before a decision engine acts it
 * asks {@link #role(String)}; only a {@link Role#LEADER} decides. It then {@link #commit commits} the
 * decision; only a committed decision is executed. A coordinator that has lost its quorum answers
 * {@link Role#NO_QUORUM} and commits nothing, so a partitioned minority decides nothing. The
 * in-process default (failover module) is always the leader and commits at once.
 *
 * <p>Local routing hygiene (outlier ejection of an endpoint that fails this process's own calls) is
 * not a coordinated decision and does not go through here.
 */
public interface FailoverCoordinator {

    /** The role of this process for one decision scope. */
    enum Role {
        /** This process decides for the scope. */
        LEADER,
        /** Another process decides; this one applies what it is told. */
        FOLLOWER,
        /** No quorum: nobody here may decide (split-brain prevention). */
        NO_QUORUM
    }

    /**
     * {@return this process's role for {@code scope} (an endpoint group's name)} Must be cheap and must not
     * block: a decision engine asks on its decision path.
     *
     * @param scope what is coordinated, e.g. an endpoint group's name
     */
    Role role(String scope);

    /**
     * Commits one decision before it is executed. A distributed implementation replicates
     * {@code payload} to a quorum and returns {@code true} only when it is committed; it returns
     * {@code false} when this process is not (or no longer) the leader or the quorum is lost. The
     * decision is then dropped, not executed.
     *
     * @param scope      the endpoint group's name
     * @param decisionId a unique id of the decision
     * @param payload    the decision as one JSON object (what followers apply and auditors read)
     * @return true when the decision was committed; false when this node may not decide (e.g. not the leader)
     */
    boolean commit(String scope, String decisionId, String payload);
}
