package io.qudag.resilience.benchmarks.cluster;

import io.qudag.resilience.cluster.ClusterPeer;
import io.qudag.resilience.cluster.RaftCluster;
import io.qudag.resilience.cluster.RaftClusterConfig;
import io.qudag.resilience.cluster.RaftFailoverCoordinator;
import io.qudag.resilience.cluster.SharedBreakers;
import io.qudag.resilience.core.CallOutcome;
import io.qudag.resilience.core.FailoverTier;
import io.qudag.resilience.core.ToolCall;
import io.qudag.resilience.core.hierarchy.BreakerHierarchy;
import io.qudag.resilience.core.hierarchy.BreakerLevel;
import io.qudag.resilience.core.hierarchy.BreakerPath;
import io.qudag.resilience.core.hierarchy.HierarchyPath;
import io.qudag.resilience.core.hierarchy.PathResolver;
import io.qudag.resilience.failover.Endpoint;
import io.qudag.resilience.failover.EndpointGroup;
import io.qudag.resilience.failover.FailoverDecisionEngine;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The call path (choose an endpoint, pass the 5-level breaker path, report the outcome to both) of
 * one instance on its own against one instance of a running 3-peer Raft group in the same JVM whose
 * failover engine uses the Raft coordinator and whose GLOBAL and REGIONAL breakers are shared
 * (spec §1.2, §3.2). The cluster must add nothing to the call path: consensus runs only on decisions
 * and breaker transitions.
 * <pre>
 * java -jar benchmarks/target/qudag-resilience-benchmarks.jar 'cluster.ClusterCallPathBenchmark' -prof gc \
 *      -f 1 -wi 3 -i 3 -w 1s -r 1s -rf json -rff benchmarks/results/cluster-call-path.json
 * </pre>
 * Goal: {@code clusterOn} within 5% of {@code singleInstance}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ClusterCallPathBenchmark {

    private static final long DURATION_NANOS = 1_000_000L;
    private static final BreakerPath EU = BreakerPath.global().child(BreakerLevel.REGIONAL, "eu-west");

    private final ToolCall call = ToolCall.builder("web_search").endpointId("search-1").serviceId("search-mcp")
            .build();

    private EndpointGroup singleGroup;
    private FailoverDecisionEngine singleEngine;
    private HierarchyPath singlePath;

    private final List<RaftCluster> clusters = new ArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private EndpointGroup clusterGroup;
    private HierarchyPath clusterPath;
    private Path storage;

    private static EndpointGroup group() {
        return EndpointGroup.builder("search")
                .tier(FailoverTier.LOCAL, Endpoint.of("search-1", FailoverTier.LOCAL, "http://a/mcp"),
                        Endpoint.of("search-2", FailoverTier.LOCAL, "http://b/mcp"))
                .build();
    }

    private static BreakerHierarchy hierarchy() {
        return BreakerHierarchy.builder().pathResolver(PathResolver.standard(Map.of("search-1", "eu-west",
                "search-2", "eu-west"), null)).build();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Setup
    public void setUp() throws Exception {
        singleGroup = group();
        singleEngine = FailoverDecisionEngine.builder(singleGroup).build();
        singlePath = hierarchy().pathFor(call);

        storage = Files.createTempDirectory("qudag-cluster-bench");
        List<ClusterPeer> peers = List.of(new ClusterPeer("p0", "127.0.0.1", freePort()),
                new ClusterPeer("p1", "127.0.0.1", freePort()), new ClusterPeer("p2", "127.0.0.1", freePort()));
        for (ClusterPeer p : peers) {
            RaftCluster c = RaftCluster.builder(RaftClusterConfig.builder().peers(peers).localPeerId(p.id())
                    .storageDirectory(storage.resolve(p.id())).build()).build();
            clusters.add(c);
        }
        clusters.forEach(RaftCluster::start);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (clusters.stream().noneMatch(c -> c.status().isLeader() && c.status().quorumAvailable())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no leader within 30 s");
            }
            Thread.onSpinWait();
        }
        RaftCluster mine = clusters.get(0);
        clusterGroup = group();
        RaftFailoverCoordinator coordinator = RaftFailoverCoordinator.create(mine);
        FailoverDecisionEngine engine = FailoverDecisionEngine.builder(clusterGroup).coordinator(coordinator).build();
        coordinator.bind(engine);
        BreakerHierarchy h = hierarchy();
        SharedBreakers shared = SharedBreakers.builder(mine, h).share(EU).build();
        clusterPath = h.pathFor(call);
        closeables.add(shared);
        closeables.add(engine);
        closeables.add(coordinator);
    }

    @TearDown
    public void tearDown() throws Exception {
        singleEngine.close();
        for (AutoCloseable c : closeables) {
            c.close();
        }
        clusters.forEach(RaftCluster::close);
        try (Stream<Path> files = Files.walk(storage)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static void callPath(EndpointGroup g, HierarchyPath path, ToolCall call) {
        Endpoint e = g.choose(call);
        path.acquirePermission(call);
        long end = System.nanoTime();
        path.onOutcome(call, CallOutcome.SUCCESS, DURATION_NANOS, end, null);
        g.onOutcome(e.id(), CallOutcome.SUCCESS, DURATION_NANOS);
    }

    /** One instance on its own: the in-process coordinator, nothing shared. */
    @Benchmark
    public void singleInstance() {
        callPath(singleGroup, singlePath, call);
    }

    /** One instance of a running 3-peer group: Raft coordinator bound, GLOBAL and REGIONAL shared. */
    @Benchmark
    public void clusterOn() {
        callPath(clusterGroup, clusterPath, call);
    }
}
