package io.qudag.resilience.cluster;

import io.qudag.resilience.cluster.internal.DefaultRaftVoteTransport;
import io.qudag.resilience.health.distributed.HealthConsensus;
import io.qudag.resilience.health.distributed.InProcessVoteTransport;
import io.qudag.resilience.health.spi.VoteTransport;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The health consensus of spec §2.2 over Raft: a {@link VoteTransport} whose rounds, votes and round
 * closings are commands of the replicated state machine. A round is opened by committing it (any peer,
 * {@link #openRound}); its number is the log index of that entry, so it is the same on every peer.
 * Every peer applies the opening, casts its own vote as a command, and (once {@linkplain #bind bound})
 * runs the round through its {@link HealthConsensus}, whose decision rules are used unchanged.
 *
 * <p>What the consensus sees is fixed by the log, not by timing: a member's first committed vote in
 * the round counts, once; the round ends when every member's vote is committed or when a CLOSE
 * command is committed (proposed by any peer whose vote window passed), and votes after it do not
 * count. So every peer hands its consensus the same votes and reaches the same decision. Without a
 * quorum nothing commits: {@link #openRound} fails and a round already open on this peer ends with no
 * vote at all (NO_QUORUM), with the reason from the cluster status in {@link #failure}.
 *
 * <p>The vote window must be shorter than the consensus timeout, so that the CLOSE is committed
 * before any peer's consensus stops waiting.
 */
public interface RaftVoteTransport extends VoteTransport, AutoCloseable {

    /** The replicated-state namespace the rounds live in. */
    String NAMESPACE = "health.consensus";

    /**
     * A builder of the transport of {@code voter}'s peer.
     *
     * @param cluster a started (or to be started) member of the group; the group's peers are the voters
     * @param voter   this peer's vote on a subject in a round
     * @return the builder
     */
    static Builder builder(RaftCluster cluster, InProcessVoteTransport.Voter voter) {
        return new Builder(cluster, voter);
    }

    /**
     * Opens a round on {@code subject} for the whole group. Completes with the round number (the log
     * index of the opening) once committed; exceptionally, saying why, without a quorum.
     *
     * @param subject what the round assesses (e.g. an endpoint id)
     * @return the round number, once the opening is committed
     */
    CompletableFuture<Long> openRound(String subject);

    /**
     * Every round opened in the group (by any peer) is assessed by {@code consensus} on this peer.
     *
     * @param consensus the consensus that assesses the rounds
     */
    void bind(HealthConsensus consensus);

    /**
     * {@return why round {@code round} of {@code subject} ended without votes on this peer, if it did}
     *
     * @param subject the round's subject
     * @param round   the round number
     */
    Optional<String> failure(String subject, long round);

    /** Stops listening to the group; pending votes fail. */
    @Override
    void close();

    /** Builds a {@link RaftVoteTransport}; {@link #build()} validates. */
    final class Builder {
        private final RaftCluster cluster;
        private final InProcessVoteTransport.Voter voter;
        private Duration voteWindow = Duration.ofSeconds(5);
        private ScheduledExecutorService scheduler;
        private Clock clock = Clock.systemUTC();

        private Builder(RaftCluster cluster, InProcessVoteTransport.Voter voter) {
            this.cluster = cluster;
            this.voter = voter;
        }

        /**
         * How long after a round opens a peer waits before it proposes to close it. Default 5 s.
         *
         * @param d a positive duration
         * @return this builder
         */
        public Builder voteWindow(Duration d) {
            this.voteWindow = d;
            return this;
        }

        /**
         * Runs votes, assessments and the vote-window timers. Required.
         *
         * @param s the scheduler
         * @return this builder
         */
        public Builder scheduler(ScheduledExecutorService s) {
            this.scheduler = s;
            return this;
        }

        /**
         * Dates the openings: a peer replaying an opening older than two vote windows (a restart
         * re-applying its log) neither votes nor closes it. Default the system clock.
         *
         * @param c the clock
         * @return this builder
         */
        public Builder clock(Clock c) {
            this.clock = c;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return the transport
         * @throws IllegalArgumentException naming the field and value when one is missing or invalid
         */
        public RaftVoteTransport build() {
            if (cluster == null) {
                throw new IllegalArgumentException("cluster must not be null, was null");
            }
            if (voter == null) {
                throw new IllegalArgumentException("voter must not be null, was null");
            }
            if (voteWindow == null || voteWindow.isZero() || voteWindow.isNegative()) {
                throw new IllegalArgumentException("voteWindow must be > 0, was " + voteWindow);
            }
            if (scheduler == null) {
                throw new IllegalArgumentException("scheduler must not be null, was null");
            }
            if (clock == null) {
                throw new IllegalArgumentException("clock must not be null, was null");
            }
            return new DefaultRaftVoteTransport(cluster, voter, voteWindow, scheduler, clock);
        }
    }
}
