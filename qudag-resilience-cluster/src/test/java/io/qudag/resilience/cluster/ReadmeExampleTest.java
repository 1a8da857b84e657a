package io.qudag.resilience.cluster;

import static io.qudag.resilience.core.FailoverTier.LOCAL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.qudag.resilience.core.hierarchy.BreakerHierarchy;
import io.qudag.resilience.core.hierarchy.BreakerLevel;
import io.qudag.resilience.core.hierarchy.BreakerPath;
import io.qudag.resilience.failover.Endpoint;
import io.qudag.resilience.failover.EndpointGroup;
import io.qudag.resilience.failover.EndpointState;
import io.qudag.resilience.failover.FailoverDecisionEngine;
import io.qudag.resilience.health.HealthMonitoringSystem;
import io.qudag.resilience.health.MetricSpecs;
import io.qudag.resilience.health.distributed.ConsensusConfig;
import io.qudag.resilience.health.distributed.ConsensusDecision;
import io.qudag.resilience.health.distributed.HealthConsensus;
import io.qudag.resilience.health.distributed.HealthVerdict;
import io.qudag.resilience.health.distributed.LocalHealthAgent;
import io.qudag.resilience.health.http.HealthReport;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's usage snippets, compiled and run: a single-peer group, and health consensus in three peers. */
class ReadmeExampleTest {

    @TempDir
    Path dir;

    @Test
    void readmeSnippetRuns() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        int port = TestGroups.freePort();
        Path storage = dir.resolve("raft");
        // --- README snippet begins
        RaftClusterConfig config = RaftClusterConfig.builder()
                .peer("a", "127.0.0.1", port)          // add every member: 1 peer, or 3 and more
                .localPeerId("a")
                .storageDirectory(storage)
                .build();
        try (RaftCluster cluster = RaftCluster.builder(config).meterRegistry(registry).build()) {
            cluster.start();

            EndpointGroup group = EndpointGroup.builder("search")
                    .tier(LOCAL, Endpoint.of("primary", LOCAL, "http://primary/mcp"),
                            Endpoint.of("replica", LOCAL, "http://replica/mcp"))
                    .build();
            RaftFailoverCoordinator coordinator = RaftFailoverCoordinator.create(cluster);
            FailoverDecisionEngine engine = FailoverDecisionEngine.builder(group).coordinator(coordinator).build();
            coordinator.bind(engine);                  // follow what the leader decides

            BreakerHierarchy hierarchy = BreakerHierarchy.builder().build();
            BreakerPath euWest = BreakerPath.global().child(BreakerLevel.REGIONAL, "eu-west");
            SharedBreakers breakers = SharedBreakers.builder(cluster, hierarchy).share(euWest).build();

            // ... once cluster.status().quorumAvailable():
            // engine.forceFailover("primary");                      decided by the leader only
            // breakers.open(euWest, Duration.ofMinutes(1), "...");  open on every instance
            // --- README snippet ends
            await().atMost(Duration.ofSeconds(10)).until(() -> cluster.status().quorumAvailable());
            engine.forceFailover("primary");
            assertThat(group.status("primary").state()).isEqualTo(EndpointState.UNAVAILABLE);
            breakers.open(euWest, Duration.ofMinutes(1), "readme").get();
            await().atMost(Duration.ofSeconds(2)).until(() -> hierarchy.node(euWest).state().name().equals("OPEN"));
            breakers.close();
            engine.close();
            coordinator.close();
        }
    }

    /** What one instance of the README's health consensus snippet builds and must close. */
    private record Member(RaftCluster cluster, RaftVoteTransport votes, HealthConsensus consensus,
                          HealthMonitoringSystem system, ScheduledExecutorService scheduler, String json) {
        void close() {
            consensus.close();
            votes.close();
            cluster.close();
            system.close();
            scheduler.shutdownNow();
        }
    }

    private Member member(RaftCluster cluster, String peerId) {
        HealthMonitoringSystem system = HealthMonitoringSystem.builder().metric(MetricSpecs.cpuUtilization()).build();
        system.record("search", MetricSpecs.CPU_UTILIZATION, 10);
        // --- README health snippet begins
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
        LocalHealthAgent agent = new LocalHealthAgent(peerId, system);   // this instance's own scores
        RaftVoteTransport votes = RaftVoteTransport.builder(cluster, agent.voter(
                        subject -> OptionalDouble.empty(),                // peer checks, if any
                        subject -> OptionalDouble.empty(),                // external monitoring, if any
                        subject -> OptionalDouble.empty()))               // real-user monitoring, if any
                .scheduler(scheduler)
                .voteWindow(Duration.ofSeconds(5))                        // below the consensus timeout (10 s)
                .build();
        HealthConsensus consensus = new HealthConsensus(ConsensusConfig.defaults(), votes, scheduler,
                Clock.systemUTC());
        votes.bind(consensus);                     // decide every round any instance opens

        // on one instance (say, the leader), now and then: votes.openRound("search");
        String json = ClusterHealthReport.of(HealthReport.of(system, Duration.ofMinutes(10)), cluster).toJson();
        // --- README health snippet ends
        return new Member(cluster, votes, consensus, system, scheduler, json);
    }

    @Test
    void healthConsensusSnippetRunsInThreePeers() throws Exception {
        List<ClusterPeer> peers = TestGroups.peers(3);
        List<Member> members = new ArrayList<>();
        try {
            for (ClusterPeer p : peers) {
                RaftCluster c = RaftCluster.builder(TestGroups.config(peers, p.id(), dir)).build();
                c.start();
                members.add(member(c, p.id()));
            }
            assertThat(members.get(0).json()).contains("\"cluster\":{").contains("\"peer\":\"p0\"");
            await().atMost(Duration.ofSeconds(15)).until(() -> members.stream().allMatch(m ->
                    m.cluster().status().quorumAvailable()));

            long round = members.get(0).votes().openRound("search").get(10, TimeUnit.SECONDS);

            await().atMost(Duration.ofSeconds(15)).until(() -> members.stream().allMatch(m ->
                    m.consensus().lastDecision("search").filter(d -> d.round() == round).isPresent()));
            assertThat(members).allSatisfy(m -> {
                ConsensusDecision d = m.consensus().lastDecision("search").orElseThrow();
                assertThat(d.outcome()).isEqualTo(ConsensusDecision.Outcome.DECIDED);
                assertThat(d.verdict()).contains(HealthVerdict.HEALTHY);
            });
        } finally {
            members.parallelStream().forEach(Member::close);
        }
    }
}
