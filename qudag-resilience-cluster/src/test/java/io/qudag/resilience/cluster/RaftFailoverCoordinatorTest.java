package io.qudag.resilience.cluster;

import static io.qudag.resilience.core.FailoverTier.LOCAL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.qudag.resilience.core.spi.FailoverCoordinator.Role;
import io.qudag.resilience.failover.Endpoint;
import io.qudag.resilience.failover.EndpointGroup;
import io.qudag.resilience.failover.EndpointState;
import io.qudag.resilience.failover.FailoverDecision;
import io.qudag.resilience.failover.FailoverDecisionEngine;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Failover coordination over a 3-peer Raft group in one JVM (spec §1.2). */
class RaftFailoverCoordinatorTest {

    @TempDir
    Path dir;

    private final List<Instance> instances = new ArrayList<>();

    /** One instance of the service: its Raft peer, its endpoint group, its engine and coordinator. */
    private record Instance(RaftCluster cluster, EndpointGroup group, FailoverDecisionEngine engine,
                            RaftFailoverCoordinator coordinator) {
        void close() {
            engine.close();
            coordinator.close();
            cluster.close();
        }
    }

    @AfterEach
    void closeAll() {
        instances.parallelStream().forEach(Instance::close);
    }

    private void startGroup(int n) {
        List<ClusterPeer> peers = TestGroups.peers(n);
        for (ClusterPeer p : peers) {
            RaftCluster c = RaftCluster.builder(TestGroups.config(peers, p.id(), dir)).build();
            EndpointGroup g = EndpointGroup.builder("search")
                    .tier(LOCAL, Endpoint.of("a", LOCAL, "http://a/mcp"), Endpoint.of("b", LOCAL, "http://b/mcp"),
                            Endpoint.of("c", LOCAL, "http://c/mcp"))
                    .build();
            RaftFailoverCoordinator coordinator = RaftFailoverCoordinator.create(c);
            FailoverDecisionEngine engine = FailoverDecisionEngine.builder(g).coordinator(coordinator).build();
            coordinator.bind(engine);
            instances.add(new Instance(c, g, engine, coordinator));
        }
        instances.forEach(i -> i.cluster().start());
        await().atMost(Duration.ofSeconds(15)).until(() -> instances.stream()
                .filter(i -> i.coordinator().role("search") == Role.LEADER).count() == 1
                && instances.stream().allMatch(i -> i.coordinator().role("search") != Role.NO_QUORUM));
    }

    private Instance leader() {
        return await().atMost(Duration.ofSeconds(15)).until(() -> instances.stream()
                .filter(i -> i.coordinator().role("search") == Role.LEADER).findFirst().orElse(null),
                java.util.Objects::nonNull);
    }

    @Test
    void onlyTheLeaderDecidesAndEveryInstanceAppliesTheAgreedRouting() {
        startGroup(3);
        Instance leader = leader();
        Instance follower = instances.stream().filter(i -> i != leader).findFirst().orElseThrow();

        assertThatThrownBy(() -> follower.engine().forceFailover("a")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("coordinator role FOLLOWER");
        assertThat(follower.group().status("a").state()).isEqualTo(EndpointState.HEALTHY);

        FailoverDecision d = leader.engine().forceFailover("a");
        assertThat(d.sourceStateAfter()).isEqualTo(EndpointState.UNAVAILABLE);
        assertThat(d.targets()).containsKeys("b", "c");
        for (Instance i : instances) {
            await().atMost(Duration.ofSeconds(5)).until(() -> i.group().status("a").state() == EndpointState.UNAVAILABLE);
            assertThat(i.group().routing().share("a")).isZero();
            assertThat(i.group().routing().share("b")).isEqualTo(0.5);
            assertThat(i.coordinator().agreedRouting("search")).containsEntry("a", 0.0).containsEntry("b", 0.5)
                    .containsEntry("c", 0.5);
            assertThat(i.coordinator().status("search").lastDecisionId()).isEqualTo(d.id());
            assertThat(i.coordinator().agreedDecisions("search")).singleElement()
                    .satisfies(p -> assertThat(p).contains(d.id()).contains("\"shares\""));
        }
        assertThat(follower.engine().decisions()).as("followers apply, they do not decide").isEmpty();
    }

    @Test
    void withoutQuorumNoDecisionIsTakenTheStatusSaysWhyAndTheLastAgreedRoutingKeepsServing() {
        startGroup(3);
        Instance leader = leader();
        leader.engine().drain("c");
        Instance survivor = instances.stream().filter(i -> i != leader).findFirst().orElseThrow();
        await().atMost(Duration.ofSeconds(5)).until(() -> survivor.group().status("c").state() == EndpointState.DRAINED);

        for (Instance i : instances) {
            if (i != survivor) {
                i.cluster().close();
            }
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> survivor.coordinator().role("search") == Role.NO_QUORUM);
        RaftFailoverCoordinator.CoordinationStatus s = survivor.coordinator().status("search");
        assertThat(s.reason()).startsWith("no decision can be taken:").contains("serving the last agreed routing");
        assertThatThrownBy(() -> survivor.engine().forceFailover("a")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("NO_QUORUM");
        assertThat(survivor.group().status("a").state()).isEqualTo(EndpointState.HEALTHY);
        assertThat(survivor.group().status("c").state()).isEqualTo(EndpointState.DRAINED);
        assertThat(survivor.group().routing().share("a")).isEqualTo(0.5);
        assertThat(survivor.coordinator().agreedRouting("search")).containsEntry("c", 0.0);
    }

    @Test
    void aSinglePeerGroupIsAlwaysTheLeaderAndCommitsItsDecisions() {
        startGroup(1);
        Instance only = instances.get(0);
        FailoverDecision d = only.engine().forceFailover("b");
        assertThat(only.group().status("b").state()).isEqualTo(EndpointState.UNAVAILABLE);
        assertThat(only.coordinator().status("search").lastDecisionId()).isEqualTo(d.id());
    }
}
