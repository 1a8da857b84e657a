package io.qudag.resilience.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.qudag.resilience.cluster.event.ClusterListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RaftClusterTest {

    @TempDir
    Path dir;

    private final List<RaftCluster> started = new ArrayList<>();

    @AfterEach
    void closeAll() {
        started.parallelStream().forEach(RaftCluster::close);
    }

    /** Leader changes each peer heard of, as "peer:leader". */
    private final List<String> leaderEvents = new CopyOnWriteArrayList<>();
    private final List<String> membershipEvents = new CopyOnWriteArrayList<>();

    private List<RaftCluster> group(int n, SimpleMeterRegistry registry) {
        List<ClusterPeer> peers = TestGroups.peers(n);
        List<RaftCluster> out = new ArrayList<>();
        for (ClusterPeer p : peers) {
            RaftCluster c = RaftCluster.builder(TestGroups.config(peers, p.id(), dir)).meterRegistry(registry).build();
            c.addListener(new ClusterListener() {
                @Override
                public void onLeaderChanged(String leaderId, long term) {
                    leaderEvents.add(p.id() + ":" + leaderId);
                }

                @Override
                public void onMembershipChanged(List<String> members) {
                    membershipEvents.add(p.id() + ":" + members);
                }
            });
            started.add(c);
            out.add(c);
        }
        out.forEach(RaftCluster::start);
        return out;
    }

    private static RaftCluster awaitLeader(List<RaftCluster> group) {
        return await().atMost(Duration.ofSeconds(15)).until(() -> group.stream()
                .filter(c -> c.status().isLeader() && c.status().quorumAvailable()).findFirst().orElse(null),
                java.util.Objects::nonNull);
    }

    @Test
    void threePeersElectOneLeaderAndReplicateToAll() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        List<RaftCluster> group = group(3, registry);
        RaftCluster leader = awaitLeader(group);
        ClusterStatus ls = leader.status();
        assertThat(ls.members()).containsExactly("p0", "p1", "p2");
        assertThat(ls.term()).isPositive();
        await().atMost(Duration.ofSeconds(5)).until(() -> group.stream().allMatch(c ->
                ls.localPeerId().equals(c.status().leaderId()) && c.status().quorumAvailable()));
        for (RaftCluster c : group) {
            if (c != leader) {
                assertThat(c.status().role()).isEqualTo(ClusterRole.FOLLOWER);
            }
        }

        // A follower's proposal is committed through the leader and applied everywhere.
        RaftCluster follower = group.stream().filter(c -> c != leader).findFirst().orElseThrow();
        ReplicatedEntry e = follower.replicate("test", "k", "{\"v\":1}").get(5, TimeUnit.SECONDS);
        assertThat(e.origin()).isEqualTo(follower.config().localPeerId());
        await().atMost(Duration.ofSeconds(15)).until(() -> group.stream().allMatch(c ->
                c.get("test", "k").map(x -> x.index() == e.index()).orElse(false)
                        && c.status().lastAppliedIndex() >= e.index()));
        assertThat(registry.find("qudag.resilience.cluster.role").tag("peer", ls.localPeerId()).gauge().value())
                .isEqualTo(ClusterRole.LEADER.ordinal());
        assertThat(registry.find("qudag.resilience.cluster.commit.latency").tag("peer", follower.config().localPeerId())
                .timer().count()).isEqualTo(1);
        String leaderId = ls.localPeerId();
        await().atMost(Duration.ofSeconds(5)).until(() -> leaderEvents.containsAll(
                List.of("p0:" + leaderId, "p1:" + leaderId, "p2:" + leaderId)));
        assertThat(membershipEvents).contains("p0:[p0, p1, p2]");
        assertThat(registry.find("qudag.resilience.cluster.term").tag("peer", "p1").gauge().value()).isPositive();
        assertThat(registry.find("qudag.resilience.cluster.apply.lag").tag("peer", "p2").gauge().value())
                .isGreaterThanOrEqualTo(0.0);
        assertThat(registry.find("qudag.resilience.cluster.quorum").tag("peer", leaderId).gauge().value())
                .isEqualTo(1.0);
    }

    @Test
    void singlePeerGroupElectsItselfAndCommits() throws Exception {
        List<RaftCluster> group = group(1, new SimpleMeterRegistry());
        RaftCluster only = awaitLeader(group);
        List<String> leaders = new CopyOnWriteArrayList<>();
        only.addListener(new ClusterListener() {
            @Override
            public void onApplied(ReplicatedEntry entry) {
                leaders.add(entry.key());
            }
        });
        ReplicatedEntry e = only.replicate("ns", "a", "{}").get(5, TimeUnit.SECONDS);
        assertThat(e.index()).isPositive();
        assertThat(only.entries("ns")).containsKey("a");
        assertThat(only.history("ns")).extracting(ReplicatedEntry::key).containsExactly("a");
        assertThat(leaders).containsExactly("a");
        assertThat(only.status().quorumAvailable()).isTrue();
        assertThat(only.status().members()).containsExactly("p0");
    }

    @Test
    void closedPeerReportsStoppedAndRefusesWrites() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        List<RaftCluster> group = group(1, registry);
        RaftCluster only = awaitLeader(group);
        only.close();
        ClusterStatus s = only.status();
        assertThat(s.role()).isEqualTo(ClusterRole.STOPPED);
        assertThat(s.quorumAvailable()).isFalse();
        assertThat(s.reason()).contains("stopped");
        assertThat(only.replicate("ns", "k", "{}")).isCompletedExceptionally();
        assertThat(registry.find("qudag.resilience.cluster.role").meters()).as("meters removed on close").isEmpty();
    }

    // ------------------------------------------------------------------ bad configuration

    @Test
    void duplicatePeerIdsAreRefusedNamingTheId() {
        assertThatThrownBy(() -> RaftClusterConfig.builder().peer("a", "127.0.0.1", 1000)
                .peer("a", "127.0.0.1", 1001).peer("b", "127.0.0.1", 1002).localPeerId("a")
                .storageDirectory(dir).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("peers ids must be unique").hasMessageContaining("\"a\"");
    }

    @Test
    void groupOfTwoIsRefused() {
        assertThatThrownBy(() -> RaftClusterConfig.builder().peer("a", "127.0.0.1", 1000)
                .peer("b", "127.0.0.1", 1001).localPeerId("a").storageDirectory(dir).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("peers must number 1 or at least 3").hasMessageContaining("was 2");
    }

    @Test
    void electionTimeoutsInTheWrongOrderAreRefused() {
        assertThatThrownBy(() -> RaftClusterConfig.builder().peer("a", "127.0.0.1", 1000).localPeerId("a")
                .storageDirectory(dir).electionTimeout(Duration.ofMillis(500), Duration.ofMillis(300)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("electionTimeoutMin must be below electionTimeoutMax")
                .hasMessageContaining("500 ms >= 300 ms");
    }

    @Test
    void unwritableStorageDirectoryIsRefusedNamingThePath() throws Exception {
        // A path under a regular file can never be created (root ignores permission bits, not this).
        Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
        Path bad = file.resolve("raft");
        assertThatThrownBy(() -> RaftClusterConfig.builder().peer("a", "127.0.0.1", 1000).localPeerId("a")
                .storageDirectory(bad).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("storageDirectory must be a writable directory")
                .hasMessageContaining(bad.toString());
    }

    @Test
    void storageDirectoryThatBecomesUnwritableFailsAtStart() throws Exception {
        Path parent = Files.createDirectories(dir.resolve("later"));
        RaftClusterConfig c = RaftClusterConfig.builder().peer("a", "127.0.0.1", TestGroups.freePort())
                .localPeerId("a").storageDirectory(parent.resolve("raft")).build();
        Files.delete(parent);
        Files.writeString(parent, "now a file");
        RaftCluster cluster = RaftCluster.builder(c).build();
        started.add(cluster);
        assertThatThrownBy(cluster::start).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("storageDirectory must be a writable directory")
                .hasMessageContaining(parent.resolve("raft").toString());
    }

    @Test
    void localPeerMustBeAMember() {
        assertThatThrownBy(() -> RaftClusterConfig.builder().peer("a", "127.0.0.1", 1000).localPeerId("z")
                .storageDirectory(dir).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("localPeerId")
                .hasMessageContaining("\"z\"");
    }
}
