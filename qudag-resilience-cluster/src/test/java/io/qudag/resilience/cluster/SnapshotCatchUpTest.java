package io.qudag.resilience.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Snapshots of the replicated state are taken, and a restarted follower catches up (spec §1.2). */
class SnapshotCatchUpTest {

    @TempDir
    Path dir;

    private final List<RaftCluster> all = new ArrayList<>();

    @AfterEach
    void closeAll() {
        all.parallelStream().forEach(RaftCluster::close);
    }

    private RaftCluster peer(List<ClusterPeer> peers, String id) {
        RaftCluster c = RaftCluster.builder(TestGroups.builder(peers, id, dir).snapshotThreshold(20)
                .commitTimeout(Duration.ofSeconds(10)).build()).build();
        all.add(c);
        return c;
    }

    private static void write(RaftCluster via, int from, int to) throws Exception {
        List<CompletableFuture<ReplicatedEntry>> f = new ArrayList<>();
        for (int i = from; i < to; i++) {
            f.add(via.replicate("t", "k" + i, "{\"i\":" + i + "}"));
        }
        CompletableFuture.allOf(f.toArray(new CompletableFuture<?>[0])).get(30, TimeUnit.SECONDS);
    }

    private static boolean hasSnapshot(Path peerDir) throws Exception {
        try (Stream<Path> s = Files.walk(peerDir)) {
            return s.anyMatch(p -> p.getFileName().toString().startsWith("snapshot.")
                    && !p.getFileName().toString().endsWith(".md5"));
        }
    }

    @Test
    void aRestartedFollowerRecoversFromItsSnapshotAndTheLogAndCatchesUp() throws Exception {
        List<ClusterPeer> peers = TestGroups.peers(3);
        for (ClusterPeer p : peers) {
            peer(peers, p.id());
        }
        all.forEach(RaftCluster::start);
        RaftCluster leader = await().atMost(Duration.ofSeconds(15)).until(() -> all.stream()
                .filter(c -> c.status().isLeader() && c.status().quorumAvailable()).findFirst().orElse(null),
                java.util.Objects::nonNull);
        write(leader, 0, 45);
        await().atMost(Duration.ofSeconds(10)).until(() -> all.stream().allMatch(c -> c.entries("t").size() == 45));
        RaftCluster follower = all.stream().filter(c -> c != leader).findFirst().orElseThrow();
        String fid = follower.config().localPeerId();
        await().atMost(Duration.ofSeconds(10)).until(() -> hasSnapshot(dir.resolve(fid)));

        follower.close();
        write(leader, 45, 55);
        RaftCluster back = peer(peers, fid);
        back.start();
        await().atMost(Duration.ofSeconds(15)).until(() -> back.entries("t").size() == 55);
        assertThat(back.get("t", "k54")).hasValueSatisfying(e -> assertThat(e.value()).isEqualTo("{\"i\":54}"));
        assertThat(back.get("t", "k3")).hasValueSatisfying(e -> assertThat(e.value()).isEqualTo("{\"i\":3}"));
        assertThat(back.history("t")).hasSize(55);
        assertThat(back.history("t")).extracting(ReplicatedEntry::index).isSorted();
        assertThat(back.status().lastAppliedIndex()).isGreaterThanOrEqualTo(leader.get("t", "k54").orElseThrow().index());
    }
}
