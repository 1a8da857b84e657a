package io.qudag.resilience.cluster;

/** The Raft role of this peer (spec §1.2, automatic leader election). */
public enum ClusterRole {
    /** Not started, or stopped. */
    STOPPED,
    /** Looking for votes: no leader is known. */
    CANDIDATE,
    /** Follows the leader and applies what it commits. */
    FOLLOWER,
    /** Decides and replicates. */
    LEADER
}
