package io.qudag.resilience.examples;

import io.qudag.resilience.cluster.ClusterPeer;
import io.qudag.resilience.cluster.ClusterStatus;
import io.qudag.resilience.cluster.RaftCluster;
import io.qudag.resilience.cluster.RaftClusterConfig;
import io.qudag.resilience.cluster.ReplicatedEntry;
import io.qudag.resilience.cluster.SharedBreakers;
import io.qudag.resilience.core.CallOutcome;
import io.qudag.resilience.core.ToolCall;
import io.qudag.resilience.core.hierarchy.BreakerHierarchy;
import io.qudag.resilience.core.hierarchy.BreakerLevel;
import io.qudag.resilience.core.hierarchy.BreakerPath;
import io.qudag.resilience.core.hierarchy.HierarchyRejectedException;
import io.qudag.resilience.core.hierarchy.PathResolver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The cluster module (spec §1.2 consensus, §3.2 shared breakers): three Raft peers (Apache Ratis) in one
 * JVM on 127.0.0.1, each with its own breaker hierarchy whose REGIONAL breaker for {@code eu-west} is
 * shared. The example waits for a leader, opens the shared breaker on one peer and shows calls to
 * eu-west rejected on another peer once the group committed it, then stops the leader and shows the
 * two survivors elect a new one that can still decide. Prints the timings and exits 0 when all of it
 * held. Run: {@code java -cp examples/target/qudag-resilience-examples.jar
 * io.qudag.resilience.examples.ClusterExample}.
 */
public final class ClusterExample {

    private static final BreakerPath EU = BreakerPath.global().child(BreakerLevel.REGIONAL, "eu-west");
    private static final ToolCall EU_CALL = ToolCall.builder("search").endpointId("eu-1").serviceId("search-mcp").build();

    /** What the example saw; {@link #held()} when every point it shows held. */
    record Result(String firstLeader, boolean openSeenOnAnotherPeer, String newLeader, boolean newLeaderDecides) {
        boolean held() {
            return firstLeader != null && openSeenOnAnotherPeer && newLeader != null && !newLeader.equals(firstLeader)
                    && newLeaderDecides;
        }
    }

    /** One instance of the service: its Raft peer, its breakers, and the sharing between them. */
    private record Instance(String id, RaftCluster cluster, BreakerHierarchy hierarchy, SharedBreakers shared) {
        void close() {
            shared.close();
            cluster.close();
        }
    }

    private ClusterExample() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("qudag-cluster-example");
        Result r = run(dir);
        System.out.println(r.held() ? "ALL BEHAVIOURS HELD" : "SOME BEHAVIOURS DID NOT HOLD: " + r);
        System.exit(r.held() ? 0 : 1);
    }

    static Result run(Path dir) throws Exception {
        List<ClusterPeer> peers = List.of(new ClusterPeer("p0", "127.0.0.1", freePort()),
                new ClusterPeer("p1", "127.0.0.1", freePort()), new ClusterPeer("p2", "127.0.0.1", freePort()));
        List<Instance> instances = new ArrayList<>();
        try {
            long t0 = System.nanoTime();
            for (ClusterPeer p : peers) {
                RaftCluster cluster = RaftCluster.builder(RaftClusterConfig.builder().groupName("example")
                        .peers(peers).localPeerId(p.id()).storageDirectory(dir.resolve(p.id()))
                        .electionTimeout(Duration.ofMillis(250), Duration.ofMillis(500)) // a loaded machine pauses
                        .commitTimeout(Duration.ofSeconds(5)).build()).build();
                cluster.start();
                BreakerHierarchy hierarchy = BreakerHierarchy.builder().name("breakers-" + p.id())
                        .pathResolver(PathResolver.standard(Map.of("eu-1", "eu-west", "us-1", "us-east"), null))
                        .build();
                instances.add(new Instance(p.id(), cluster, hierarchy,
                        SharedBreakers.builder(cluster, hierarchy).share(EU).build()));
                System.out.printf("peer %s on 127.0.0.1:%d%n", p.id(), p.port());
            }
            Optional<Instance> leader = awaitLeader(instances, Duration.ofSeconds(30));
            String firstLeader = leader.map(Instance::id).orElse(null);
            System.out.printf("leader %s elected %d ms after start: %s%n", firstLeader, ms(t0),
                    leader.map(l -> l.cluster().status().reason()).orElse("no leader"));
            if (leader.isEmpty()) {
                return new Result(null, false, null, false);
            }

            Instance origin = instances.stream().filter(i -> i != leader.get()).findFirst().orElseThrow();
            Instance other = instances.stream().filter(i -> i != leader.get() && i != origin).findFirst().orElseThrow();
            System.out.printf("before: a call to eu-west on %s is %s%n", other.id(), rejects(other.hierarchy()) ? "rejected" : "admitted");
            long t1 = System.nanoTime();
            ReplicatedEntry agreed = origin.shared().open(EU, Duration.ofMinutes(5), "operator: eu-west is down")
                    .get(10, TimeUnit.SECONDS);
            long committedMs = ms(t1);
            boolean seen = waitFor(() -> rejects(other.hierarchy()), Duration.ofSeconds(10));
            System.out.printf("%s opened %s: committed at log index %d after %d ms; %s rejects eu-west calls %s%n",
                    origin.id(), EU, agreed.index(), committedMs, other.id(), seen ? "after " + ms(t1) + " ms" : "NOT");

            System.out.printf("stopping the leader %s%n", firstLeader);
            long t2 = System.nanoTime();
            leader.get().close();
            instances.remove(leader.get());
            Optional<Instance> next = waitFor(() -> instances.stream().anyMatch(i -> {
                ClusterStatus s = i.cluster().status();
                return s.isLeader() && s.quorumAvailable();
            }), Duration.ofSeconds(30)) ? awaitLeader(instances, Duration.ofSeconds(1)) : Optional.empty();
            String newLeader = next.map(Instance::id).orElse(null);
            System.out.printf("new leader %s after %d ms (%s)%n", newLeader, ms(t2),
                    next.map(n -> "term " + n.cluster().status().term() + ", " + n.cluster().status().reason())
                            .orElse("none"));
            boolean decides = false;
            if (next.isPresent()) {
                ReplicatedEntry closed = other.shared().close(EU, "operator: eu-west is back").get(10, TimeUnit.SECONDS);
                decides = waitFor(() -> !rejects(origin.hierarchy()), Duration.ofSeconds(10));
                System.out.printf("with 2 of 3 peers: %s closed %s at log index %d; %s admits eu-west calls again: %s%n",
                        other.id(), EU, closed.index(), origin.id(), decides);
            }
            return new Result(firstLeader, seen, newLeader, decides);
        } finally {
            instances.parallelStream().forEach(Instance::close);
        }
    }

    private static Optional<Instance> awaitLeader(List<Instance> instances, Duration timeout) {
        waitFor(() -> instances.stream().anyMatch(i -> i.cluster().status().isLeader()
                && i.cluster().status().quorumAvailable()), timeout);
        return instances.stream().filter(i -> i.cluster().status().isLeader()).findFirst();
    }

    /** Whether a call to eu-west is refused by a shared (REGIONAL or GLOBAL) breaker of this hierarchy. */
    private static boolean rejects(BreakerHierarchy h) {
        try {
            h.acquirePermission(EU_CALL);
            h.onOutcome(EU_CALL, CallOutcome.SUCCESS, 1_000, null);
            return false;
        } catch (HierarchyRejectedException e) {
            return e.level() == BreakerLevel.REGIONAL || e.level() == BreakerLevel.GLOBAL;
        }
    }

    /** Polls {@code condition} every 5 ms until it holds or {@code timeout} passes. */
    private static boolean waitFor(BooleanSupplier condition, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                return false;
            }
            LockSupport.parkNanos(5_000_000L);
        }
        return true;
    }

    private static long ms(long since) {
        return (System.nanoTime() - since) / 1_000_000;
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
