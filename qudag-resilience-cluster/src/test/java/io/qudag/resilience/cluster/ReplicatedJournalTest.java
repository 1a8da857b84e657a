package io.qudag.resilience.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.qudag.resilience.recovery.DataClass;
import io.qudag.resilience.recovery.JournalConfig;
import io.qudag.resilience.recovery.JournalReader;
import io.qudag.resilience.recovery.JournalRecord;
import io.qudag.resilience.recovery.RecoveryPolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal of CRITICAL data replicated over Raft (spec §4.1, §4.2): three peers in one JVM on
 * loopback, each with its own local journal on disk.
 */
class ReplicatedJournalTest {

    @TempDir
    Path dir;

    private final List<ReplicatedJournal> all = new ArrayList<>();
    private final Map<String, SimpleMeterRegistry> registries = new HashMap<>();

    @AfterEach
    void closeAll() {
        all.parallelStream().forEach(ReplicatedJournal::close);
    }

    private ReplicatedJournal peer(List<ClusterPeer> peers, String id) {
        RaftClusterConfig raft = TestGroups.builder(peers, id, dir.resolve("raft")).groupName("journal")
                .snapshotThreshold(10).commitTimeout(Duration.ofSeconds(5)).build();
        JournalConfig journal = RecoveryPolicy.defaults().journalFor(DataClass.CRITICAL, dir.resolve("journal-" + id))
                .build();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        registries.put(id, registry);
        ReplicatedJournal j = ReplicatedJournal.builder(raft, journal).meterRegistry(registry)
                .raftLogSegmentSize(16 * 1024).build();
        all.add(j);
        return j;
    }

    private List<ReplicatedJournal> group(List<ClusterPeer> peers) {
        List<ReplicatedJournal> g = new ArrayList<>();
        for (ClusterPeer p : peers) {
            g.add(peer(peers, p.id()));
        }
        g.parallelStream().forEach(ReplicatedJournal::start);
        return g;
    }

    private static ReplicatedJournal leaderOf(List<ReplicatedJournal> g) {
        return await().atMost(Duration.ofSeconds(15)).until(() -> g.stream()
                .filter(j -> j.status().isLeader() && j.status().quorumAvailable()).findFirst().orElse(null),
                Objects::nonNull);
    }

    private static void awaitQuorumEverywhere(List<ReplicatedJournal> g) {
        await().atMost(Duration.ofSeconds(15)).until(() -> g.stream().allMatch(j -> j.status().quorumAvailable()));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> records(ReplicatedJournal j) {
        List<String> out = new ArrayList<>();
        try (JournalReader r = j.read(1)) {
            while (r.hasNext()) {
                JournalRecord rec = r.next();
                out.add(rec.sequence() + ":" + rec.type() + ":" + rec.payloadAsString());
            }
        }
        return out;
    }

    /** Appends {@code n} records through {@code via}; returns sequence → payload of the acknowledged ones. */
    private static Map<Long, String> append(ReplicatedJournal via, String prefix, int n, int padding) throws Exception {
        List<CompletableFuture<Long>> f = new ArrayList<>();
        List<String> payloads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String p = prefix + i + "-" + "x".repeat(padding);
            payloads.add(p);
            f.add(via.append(1, bytes(p)));
        }
        Map<Long, String> acked = new HashMap<>();
        for (int i = 0; i < n; i++) {
            acked.put(f.get(i).get(30, TimeUnit.SECONDS), payloads.get(i));
        }
        return acked;
    }

    @Test
    void appendsFromAnyPeerLandInEveryPeersJournalInTheSameOrder() throws Exception {
        List<ReplicatedJournal> g = group(TestGroups.peers(3));
        leaderOf(g);
        awaitQuorumEverywhere(g);
        List<CompletableFuture<Map<Long, String>>> writers = new ArrayList<>();
        for (ReplicatedJournal j : g) {
            String prefix = j.status().localPeerId() + "-";
            writers.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return append(j, prefix, 10, 0);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        Map<Long, String> acked = new HashMap<>();
        for (CompletableFuture<Map<Long, String>> w : writers) {
            acked.putAll(w.get(60, TimeUnit.SECONDS));
        }
        assertThat(acked).hasSize(30);
        assertThat(acked.keySet()).containsExactlyInAnyOrderElementsOf(
                java.util.stream.LongStream.rangeClosed(1, 30).boxed().toList());
        await().atMost(Duration.ofSeconds(10)).until(() -> g.stream().allMatch(j -> j.lastSequence() == 30));
        List<String> first = records(g.get(0));
        assertThat(first).hasSize(30);
        for (ReplicatedJournal j : g) {
            assertThat(records(j)).isEqualTo(first);
        }
        // Every acknowledged append is at its acknowledged sequence, on every peer.
        acked.forEach((seq, payload) -> assertThat(first.get((int) (seq - 1))).isEqualTo(seq + ":1:" + payload));
        assertThat(g.get(0).replicationFactor()).isEqualTo(3);
        assertThat(registries.get(g.get(0).status().localPeerId())
                .get("qudag.resilience.cluster.journal.append.latency").timer().count()).isEqualTo(10);
    }

    @Test
    void aRestartedFollowerCatchesUpFromTheLogAndBySnapshotOnceTheLeaderPurgedItsLog() throws Exception {
        List<ClusterPeer> peers = TestGroups.peers(3);
        List<ReplicatedJournal> g = group(peers);
        ReplicatedJournal leader = leaderOf(g);
        awaitQuorumEverywhere(g);
        append(leader, "a", 5, 0);
        ReplicatedJournal follower = g.stream().filter(j -> j != leader).findFirst().orElseThrow();
        String fid = follower.status().localPeerId();
        await().atMost(Duration.ofSeconds(10)).until(() -> follower.lastSequence() == 5);

        // 1. Down for a few appends: it catches up from the leader's log.
        follower.close();
        append(leader, "b", 3, 0);
        ReplicatedJournal back = peer(peers, fid);
        back.start();
        await().atMost(Duration.ofSeconds(15)).until(() -> back.lastSequence() == 8);
        assertThat(records(back)).isEqualTo(records(leader).subList(0, 8));

        // 2. Down while the leader snapshots its journal and purges its log: the follower gets the snapshot.
        long backAt = leader.status().lastAppliedIndex(); // the follower has nothing past this Raft index
        back.close();
        append(leader, "c", 60, 900);
        await().atMost(Duration.ofSeconds(10)).until(() -> firstLogIndex(leader) > backAt + 1);
        ReplicatedJournal again = peer(peers, fid);
        again.start();
        await().atMost(Duration.ofSeconds(20)).until(() -> again.lastSequence() == 68);
        // the install is counted once the state machine has reinitialized, which can trail the sequence it reads
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(registries.get(fid)
                .get("qudag.resilience.cluster.journal.snapshot.installs").counter().count()).isGreaterThanOrEqualTo(1));
        assertThat(records(again)).isEqualTo(records(leader));
        // And it takes part again: new appends reach it too.
        append(leader, "d", 2, 0);
        await().atMost(Duration.ofSeconds(10)).until(() -> again.lastSequence() == 70);
        assertThat(registries.get(fid).get("qudag.resilience.cluster.journal.apply.lag").gauge().value())
                .isGreaterThanOrEqualTo(0);
    }

    /**
     * The first index the leader's Raft log still holds, from its segment files ({@code log_<start>-<end>},
     * {@code log_inprogress_<start>}): past the follower's next index, only a snapshot can catch it up.
     */
    private long firstLogIndex(ReplicatedJournal leader) throws Exception {
        Path raft = dir.resolve("raft").resolve(leader.status().localPeerId());
        try (var s = java.nio.file.Files.walk(raft)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("log_"))
                    .mapToLong(n -> Long.parseLong(n.replace("log_inprogress_", "").replace("log_", "").split("-")[0]))
                    .min().orElse(Long.MAX_VALUE);
        }
    }

    @Test
    void withoutAQuorumAnAppendFailsFastAndIsNeverAcknowledged() throws Exception {
        List<ReplicatedJournal> g = group(TestGroups.peers(3));
        ReplicatedJournal leader = leaderOf(g);
        awaitQuorumEverywhere(g);
        append(leader, "a", 3, 0);
        ReplicatedJournal survivor = g.stream().filter(j -> j != leader).findFirst().orElseThrow();
        await().atMost(Duration.ofSeconds(10)).until(() -> survivor.lastSequence() == 3);
        g.stream().filter(j -> j != survivor).forEach(ReplicatedJournal::close);
        await().atMost(Duration.ofSeconds(10)).until(() -> !survivor.status().quorumAvailable());

        long t0 = System.nanoTime();
        CompletableFuture<Long> f = survivor.append(1, bytes("lost"));
        assertThatThrownBy(() -> f.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(JournalReplicationException.class)
                .hasMessageContaining("no quorum")
                .satisfies(e -> assertThat(((JournalReplicationException) e).proposed()).isFalse());
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
        assertThat(survivor.lastSequence()).isEqualTo(3);
        assertThat(records(survivor)).noneMatch(r -> r.endsWith(":lost"));
    }

    @Test
    void recordsAcknowledgedBeforeTheLeaderIsKilledAreAllThereAfterwards() throws Exception {
        List<ReplicatedJournal> g = group(TestGroups.peers(3));
        ReplicatedJournal leader = leaderOf(g);
        awaitQuorumEverywhere(g);
        ReplicatedJournal follower = g.stream().filter(j -> j != leader).findFirst().orElseThrow();
        Map<Long, String> acked = append(follower, "before", 20, 0);
        leader.close();
        List<ReplicatedJournal> survivors = g.stream().filter(j -> j != leader).toList();
        ReplicatedJournal newLeader = leaderOf(survivors);
        assertThat(newLeader).isNotSameAs(leader);
        acked.putAll(append(follower, "after", 5, 0));
        await().atMost(Duration.ofSeconds(10)).until(() -> survivors.stream().allMatch(j -> j.lastSequence() == 25));
        for (ReplicatedJournal j : survivors) {
            List<String> r = records(j);
            acked.forEach((seq, payload) -> assertThat(r.get((int) (seq - 1))).isEqualTo(seq + ":1:" + payload));
        }
    }

    @Test
    void badConfigurationFailsAtBuildNamingFieldAndValue() {
        List<ClusterPeer> peers = TestGroups.peers(3);
        RaftClusterConfig raft = TestGroups.config(peers, "p0", dir.resolve("raft"));
        JournalConfig async = JournalConfig.builder(dir.resolve("j"))
                .durability(io.qudag.resilience.recovery.Durability.ASYNC).build();
        assertThatThrownBy(() -> ReplicatedJournal.builder(raft, async).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("journal.durability")
                .hasMessageContaining("ASYNC");
        JournalConfig inside = JournalConfig.builder(dir.resolve("raft").resolve("p0").resolve("j")).build();
        assertThatThrownBy(() -> ReplicatedJournal.builder(raft, inside).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("journal.directory");
        JournalConfig ok = JournalConfig.builder(dir.resolve("j")).build();
        assertThatThrownBy(() -> ReplicatedJournal.builder(raft, ok).raftLogSegmentSize(1024).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("raftLogSegmentSize")
                .hasMessageContaining("1024");
        assertThatThrownBy(() -> ReplicatedJournal.builder(raft, ok).build().append(0, new byte[1]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("type");
    }
}
