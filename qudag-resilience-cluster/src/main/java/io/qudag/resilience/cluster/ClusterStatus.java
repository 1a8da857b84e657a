package io.qudag.resilience.cluster;

import java.util.List;
import java.util.Optional;

/**
 * A point-in-time view of one peer's membership in the Raft group (spec §1.2).
 *
 * @param localPeerId      this peer
 * @param role             this peer's role
 * @param leaderId         the leader this peer knows of, or {@code null}
 * @param term             the current Raft term
 * @param members          the ids of the group's members
 * @param quorumAvailable  whether this peer can get a decision committed now
 * @param reason           why not, when {@code quorumAvailable} is false; otherwise a short description
 * @param lastAppliedIndex the index of the last entry applied to this peer's state machine
 */
public record ClusterStatus(String localPeerId, ClusterRole role, String leaderId, long term, List<String> members,
                            boolean quorumAvailable, String reason, long lastAppliedIndex) {

    /**
     * Copies {@code members} into an immutable list.
     *
     * @param localPeerId      this peer
     * @param role             this peer's role
     * @param leaderId         the leader this peer knows of, or {@code null}
     * @param term             the current Raft term
     * @param members          the ids of the group's members
     * @param quorumAvailable  whether this peer can get a decision committed now
     * @param reason           why not, when {@code quorumAvailable} is false; otherwise a short description
     * @param lastAppliedIndex the index of the last entry applied to this peer's state machine
     */
    public ClusterStatus {
        members = List.copyOf(members);
    }

    /** {@return the leader's peer id, empty while no leader is known} */
    public Optional<String> leader() {
        return Optional.ofNullable(leaderId);
    }

    /** {@return whether this peer is the leader} */
    public boolean isLeader() {
        return role == ClusterRole.LEADER;
    }
}
