package io.qudag.resilience.health.spi;

import io.qudag.resilience.health.distributed.HealthVote;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * How the health consensus (spec §2.2) reaches the other nodes: it asks each member for its vote on a
 * subject in a round. The module ships an in-process transport; a Raft-backed one (the cluster
 * module) replicates the votes. A member that does not answer is simply late: the consensus stops
 * waiting at its timeout and counts the member as not agreeing.
 */
public interface VoteTransport {

    /** {@return the members of the cluster, this node included} */
    List<String> members();

    /**
     * Asks {@code member} for its vote. The stage completes with the vote, or exceptionally when the
     * member refuses; it may never complete (the consensus times out).
     *
     * @param member the member asked
     * @param subject the subject to assess
     * @param round the round number
     * @return completes with the member's vote
     */
    CompletionStage<HealthVote> requestVote(String member, String subject, long round);
}
