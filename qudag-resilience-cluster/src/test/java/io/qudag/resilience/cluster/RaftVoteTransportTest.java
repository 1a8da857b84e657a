package io.qudag.resilience.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.qudag.resilience.health.distributed.ConsensusConfig;
import io.qudag.resilience.health.distributed.ConsensusDecision;
import io.qudag.resilience.health.distributed.HealthConsensus;
import io.qudag.resilience.health.distributed.HealthVerdict;
import io.qudag.resilience.health.distributed.HealthVote;
import io.qudag.resilience.health.distributed.InProcessVoteTransport;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The health consensus of spec §2.2 with its votes committed through a 3-peer Raft group in one JVM. */
class RaftVoteTransportTest {

    private static final String SUBJECT = "search";
    /** The vote window is well inside the consensus timeout, so the CLOSE commits before any peer stops waiting. */
    private static final ConsensusConfig CONFIG = ConsensusConfig.builder()
            .timeout(Duration.ofSeconds(10)).assessmentInterval(Duration.ofSeconds(30)).build();

    @TempDir
    Path dir;

    private record Instance(RaftCluster cluster, RaftVoteTransport transport, HealthConsensus consensus,
                            ScheduledExecutorService scheduler) {
        void close() {
            consensus.close();
            transport.close();
            cluster.close();
            scheduler.shutdownNow();
        }
    }

    private final List<Instance> instances = new ArrayList<>();

    @AfterEach
    void closeAll() {
        instances.parallelStream().forEach(Instance::close);
    }

    /** Three peers; peer i votes {@code scores[i]} on every criterion, or fails when it is negative. */
    private void startGroup(double... scores) {
        List<ClusterPeer> peers = TestGroups.peers(3);
        for (int i = 0; i < peers.size(); i++) {
            ClusterPeer p = peers.get(i);
            double score = scores[i];
            InProcessVoteTransport.Voter voter = (subject, round) -> {
                if (score < 0) {
                    throw new IllegalStateException("no data on " + subject);
                }
                return HealthVote.of(p.id(), subject, round, score, score, score, score);
            };
            ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
            RaftCluster c = RaftCluster.builder(TestGroups.config(peers, p.id(), dir)).build();
            RaftVoteTransport t = RaftVoteTransport.builder(c, voter).scheduler(scheduler)
                    .voteWindow(Duration.ofSeconds(2)).build();
            HealthConsensus hc = new HealthConsensus(CONFIG, t, scheduler, Clock.systemUTC());
            t.bind(hc);
            instances.add(new Instance(c, t, hc, scheduler));
            c.start();
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> instances.stream().allMatch(i ->
                i.cluster().status().quorumAvailable()));
    }

    private long openRound(int on) throws Exception {
        return instances.get(on).transport().openRound(SUBJECT).get(10, TimeUnit.SECONDS);
    }

    private List<ConsensusDecision> decisionsOf(long round) {
        await().atMost(Duration.ofSeconds(15)).until(() -> instances.stream().allMatch(i ->
                i.consensus().lastDecision(SUBJECT).filter(d -> d.round() == round).isPresent()));
        return instances.stream().map(i -> i.consensus().lastDecision(SUBJECT).orElseThrow()).toList();
    }

    @Test
    void votesOfThreeInstancesAreCountedOnceAndDecidedAlikeOnEveryPeer() throws Exception {
        startGroup(90, 85, 20);

        long round = openRound(2);
        List<ConsensusDecision> decisions = decisionsOf(round);

        for (ConsensusDecision d : decisions) {
            assertThat(d.outcome()).isEqualTo(ConsensusDecision.Outcome.DECIDED);
            assertThat(d.verdict()).contains(HealthVerdict.HEALTHY); // 2 of 3 healthy: a majority
            assertThat(d.ballots()).containsOnlyKeys("p0", "p1", "p2");
            assertThat(d.timedOut()).isEmpty();
        }
        assertThat(decisions.get(0).ballots()).isEqualTo(decisions.get(1).ballots())
                .isEqualTo(decisions.get(2).ballots());
        // the round is the log index of its opening, the same on every peer
        assertThat(decisions).allSatisfy(d -> assertThat(d.round()).isEqualTo(round));
        assertThat(instances.get(0).cluster().entries(RaftVoteTransport.NAMESPACE))
                .containsKeys("open/search", "vote/p0/search", "vote/p1/search", "vote/p2/search");
    }

    @Test
    void splitVotesAreDecidedTheSameOnAllPeers() throws Exception {
        startGroup(90, 50, 20); // one healthy, one degraded, one unhealthy

        List<ConsensusDecision> decisions = decisionsOf(openRound(0));

        // no majority is healthy, no supermajority unhealthy, a majority is not healthy: DEGRADED everywhere
        assertThat(decisions).allSatisfy(d -> {
            assertThat(d.outcome()).isEqualTo(ConsensusDecision.Outcome.DECIDED);
            assertThat(d.verdict()).contains(HealthVerdict.DEGRADED);
            assertThat(d.ballots()).hasSize(3);
        });
    }

    @Test
    void aMissingVoteEndsTheRoundByACommittedCloseAndEveryPeerAgreesOnWhatCounted() throws Exception {
        startGroup(90, 20, -1); // p2 cannot vote

        List<ConsensusDecision> decisions = decisionsOf(openRound(1));

        // two ballots are fewer than minimumNodes (3): NO_QUORUM, from the same two votes on every peer
        assertThat(decisions).allSatisfy(d -> {
            assertThat(d.outcome()).isEqualTo(ConsensusDecision.Outcome.NO_QUORUM);
            assertThat(d.timedOut()).containsExactly("p2");
            assertThat(d.ballots()).containsOnlyKeys("p0", "p1");
        });
        assertThat(instances.get(0).cluster().entries(RaftVoteTransport.NAMESPACE)).containsKey("close/search");
    }

    @Test
    void aMinorityDecidesNothingAndSaysWhy() throws Exception {
        startGroup(90, 90, 90);
        decisionsOf(openRound(0)); // the group works

        Instance survivor = instances.get(0);
        instances.get(1).close();
        instances.get(2).close();
        long before = survivor.consensus().lastDecision(SUBJECT).orElseThrow().round();

        assertThatThrownBy(() -> survivor.transport().openRound(SUBJECT).get(15, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasMessageContaining("not committed within");
        assertThat(survivor.cluster().status().quorumAvailable()).isFalse();
        assertThat(survivor.cluster().status().reason()).isNotBlank();
        assertThat(survivor.consensus().lastDecision(SUBJECT).orElseThrow().round()).isEqualTo(before);
    }

    @Test
    void aRoundOpenWhenTheQuorumIsLostEndsWithoutVotesAndSaysWhy() throws Exception {
        startGroup(90, 90, -1); // p2 never votes, so the round can only end by a CLOSE
        Instance survivor = instances.get(0);

        long round = openRound(0);
        instances.get(1).close();
        instances.get(2).close();

        await().atMost(Duration.ofSeconds(20)).until(() ->
                survivor.consensus().lastDecision(SUBJECT).filter(d -> d.round() == round).isPresent());
        ConsensusDecision d = survivor.consensus().lastDecision(SUBJECT).orElseThrow();
        assertThat(d.outcome()).isEqualTo(ConsensusDecision.Outcome.NO_QUORUM);
        assertThat(d.ballots()).isEmpty();
        assertThat(d.timedOut()).containsExactly("p0", "p1", "p2");
        assertThat(survivor.transport().failure(SUBJECT, round)).hasValueSatisfying(why ->
                assertThat(why).startsWith("no quorum to close the round").contains("cluster: "));
    }

    @Test
    void requestsForNonMembersAndBadSettingsAreRefused() {
        List<ClusterPeer> peers = TestGroups.peers(3);
        RaftCluster c = RaftCluster.builder(TestGroups.config(peers, "p0", dir)).build();
        ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor();
        try {
            InProcessVoteTransport.Voter v = (subject, round) -> HealthVote.of("p0", subject, round, 1, 1, 1, 1);
            assertThatThrownBy(() -> RaftVoteTransport.builder(c, v).scheduler(s).voteWindow(Duration.ZERO).build())
                    .hasMessage("voteWindow must be > 0, was PT0S");
            assertThatThrownBy(() -> RaftVoteTransport.builder(c, v).build())
                    .hasMessage("scheduler must not be null, was null");
            try (RaftVoteTransport t = RaftVoteTransport.builder(c, v).scheduler(s).build()) {
                assertThat(t.members()).containsExactly("p0", "p1", "p2");
                assertThat(t.requestVote("px", SUBJECT, 1).toCompletableFuture()).isCompletedExceptionally();
            }
        } finally {
            c.close();
            s.shutdownNow();
        }
    }

}
