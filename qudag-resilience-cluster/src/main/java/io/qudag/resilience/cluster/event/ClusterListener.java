package io.qudag.resilience.cluster.event;

import io.qudag.resilience.cluster.ReplicatedEntry;
import java.util.List;

/**
 * Hears what the Raft group does (spec §1.2). Called on Ratis' state-machine thread, in log order
 * for {@link #onApplied}: keep it short and do not block. An exception is logged and ignored.
 */
public interface ClusterListener {

    /**
     * An entry was committed by a quorum and applied on this peer.
     *
     * @param entry the applied entry
     */
    default void onApplied(ReplicatedEntry entry) {
    }

    /**
     * A peer (possibly this one) became the leader.
     *
     * @param leaderId the new leader's peer id
     * @param term     the Raft term it leads in
     */
    default void onLeaderChanged(String leaderId, long term) {
    }

    /**
     * The group's membership changed.
     *
     * @param members the peer ids of the group now
     */
    default void onMembershipChanged(List<String> members) {
    }
}
