package io.qudag.resilience.cluster;

import static io.qudag.resilience.cluster.NodeProcess.field;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three instances in three JVMs form a Raft group on loopback with the default timeouts (spec §1.2):
 * the leader's process is SIGKILLed, then two of three, then they come back. Prints the leader
 * failover time and the decision commit latency (measured, not asserted).
 */
class MultiProcessClusterTest {

    @TempDir
    Path dir;

    private final List<NodeProcess> nodes = new ArrayList<>();

    @AfterEach
    void killAll() throws Exception {
        for (NodeProcess n : nodes) {
            n.kill();
        }
        if (System.getenv("KEEP_LOGS") != null) {
            try (var s = java.nio.file.Files.list(dir)) {
                for (Path p : s.filter(x -> x.toString().endsWith(".log")).toList()) {
                    java.nio.file.Files.copy(p, Path.of("/tmp", p.getFileName().toString()),
                            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private NodeProcess startNode(String id, List<ClusterPeer> peers) throws Exception {
        NodeProcess n = NodeProcess.start(id, dir, peers);
        nodes.add(n);
        return n;
    }

    private static String status(NodeProcess n) {
        return n.send("status");
    }

    /** The live node that leads with a quorum, if any. */
    private static Optional<NodeProcess> leader(List<NodeProcess> live) {
        for (NodeProcess n : live) {
            String s = status(n);
            if ("LEADER".equals(field(s, "coordinator"))) {
                return Optional.of(n);
            }
        }
        return Optional.empty();
    }

    @Test
    void leaderKilledNewLeaderDecidesNothingLostMinorityDecidesNothingGroupHeals() throws Exception {
        List<ClusterPeer> peers = TestGroups.peers(3);
        List<NodeProcess> live = new ArrayList<>();
        for (ClusterPeer p : peers) {
            live.add(startNode(p.id(), peers));
        }
        for (NodeProcess n : live) {
            n.awaitReady(40_000);
        }
        long t0 = System.nanoTime();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> leader(live).isPresent()
                        && live.stream().allMatch(n -> !"NO_QUORUM".equals(field(status(n), "coordinator"))));
        System.out.printf(Locale.ROOT, "cold election of 3 child JVMs: %d ms%n", (System.nanoTime() - t0) / 1_000_000);

        // Decisions on the leader; measure the commit latency of whole decisions.
        NodeProcess first = leader(live).orElseThrow();
        first.send("bench 20"); // warm-up
        String bench = first.send("bench 100");
        assertThat(bench).startsWith("OK n=100");
        System.out.println("decision commit latency on the leader (prepare + quorum commit + execute): " + bench);
        String lastAcked = field(bench, "last");
        int agreed = Integer.parseInt(field(status(first), "decisions"));
        assertThat(agreed).as("every acknowledged decision is agreed").isEqualTo(120);
        assertThat(field(status(first), "last")).isEqualTo(lastAcked);

        // SIGKILL the leader's process: a new leader takes over, nothing committed is lost.
        long killedAt = System.nanoTime();
        first.kill();
        live.remove(first);
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(10))
                .until(() -> leader(live).isPresent());
        long failoverMs = (System.nanoTime() - killedAt) / 1_000_000;
        System.out.printf(Locale.ROOT, "leader failover after SIGKILL (kill to a new leader with quorum): %d ms%n",
                failoverMs);
        NodeProcess second = leader(live).orElseThrow();
        await().atMost(Duration.ofSeconds(5)).until(() -> live.stream().allMatch(n ->
                Integer.parseInt(field(status(n), "decisions")) == agreed));
        for (NodeProcess n : live) {
            String s = status(n);
            assertThat(field(s, "last")).as("last acknowledged decision on %s", n.id).isEqualTo(lastAcked);
        }
        String next = second.send("decide");
        assertThat(next).as("decisions continue from the new leader").startsWith("OK ");
        String nextId = next.substring(3);
        await().atMost(Duration.ofSeconds(5)).until(() -> live.stream().allMatch(n ->
                nextId.equals(field(status(n), "last"))));

        // Kill a second peer: one of three cannot decide, and says why.
        NodeProcess survivor = live.stream().filter(n -> n != second).findFirst().orElseThrow();
        second.kill();
        live.remove(second);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> "NO_QUORUM".equals(field(status(survivor), "coordinator")));
        String refused = survivor.send("decide");
        assertThat(refused).startsWith("ERR ").contains("NO_QUORUM");
        String why = field(status(survivor), "reason");
        System.out.println("a lone survivor's status: " + why);
        assertThat(why).startsWith("no decision can be taken:").contains("serving the last agreed routing");
        assertThat(field(status(survivor), "decisions")).isEqualTo(String.valueOf(agreed + 1));

        // Restart the two killed peers (same ports, same storage): the group heals and they catch up.
        long restartAt = System.nanoTime();
        List<NodeProcess> back = new ArrayList<>();
        back.add(startNode(first.id, peers));
        back.add(startNode(second.id, peers));
        for (NodeProcess n : back) {
            n.awaitReady(40_000);
        }
        live.addAll(back);
        System.out.printf(Locale.ROOT, "restarted peers ready after %d ms%n", (System.nanoTime() - restartAt) / 1_000_000);
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> leader(live).isPresent());
        System.out.printf(Locale.ROOT, "leader after restart at %d ms%n", (System.nanoTime() - restartAt) / 1_000_000);
        await().atMost(Duration.ofSeconds(10)).until(() -> live.stream().allMatch(n ->
                nextId.equals(field(status(n), "last"))
                        && Integer.parseInt(field(status(n), "decisions")) == agreed + 1));
        System.out.printf(Locale.ROOT, "restart of 2 killed peers to a healed, caught-up group: %d ms%n",
                (System.nanoTime() - restartAt) / 1_000_000);
        NodeProcess third = leader(live).orElseThrow();
        String healed = third.send("decide");
        assertThat(healed).startsWith("OK ");
        String healedId = healed.substring(3);
        await().atMost(Duration.ofSeconds(5)).until(() -> live.stream().allMatch(n ->
                healedId.equals(field(status(n), "last"))));
    }
}
