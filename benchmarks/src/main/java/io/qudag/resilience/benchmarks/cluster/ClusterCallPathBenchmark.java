package io.qudag.resilience.benchmarks.cluster;

import io.qudag.resilience.cluster.ClusterPeer;
import io.qudag.resilience.cluster.RaftCluster;
import io.qudag.resilience.cluster.RaftClusterConfig;
import io.qudag.resilience.cluster.SharedBreakers;
import io.qudag.resilience.core.ToolCall;
import io.qudag.resilience.core.ToolHints;
import io.qudag.resilience.core.hierarchy.BreakerHierarchy;
import io.qudag.resilience.core.hierarchy.BreakerHierarchyConfig;
import io.qudag.resilience.core.hierarchy.BreakerLevel;
import io.qudag.resilience.core.hierarchy.BreakerPath;
import io.qudag.resilience.core.hierarchy.PathResolver;
import io.qudag.resilience.core.pipeline.ResiliencePipeline;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
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
 * The cost of the cluster on the call path (spec §1.2, §3.2): one tool call through a
 * {@code ResiliencePipeline} whose breaker is the 5-level {@link BreakerHierarchy} path of the call,
 * <ul>
 *   <li>{@code localHierarchy}: the hierarchy of one instance on its own;</li>
 *   <li>{@code sharedHierarchy}: the same hierarchy with its GLOBAL and {@code eu-west} REGIONAL
 *       breakers shared through a running 3-peer Raft group (three Ratis servers in this JVM on
 *       loopback; counters of the shared breakers published every second).</li>
 * </ul>
 * {@code localHierarchyBesideGroup} runs the local pipeline while the group runs in the same JVM: the
 * difference between it and {@code localHierarchy} is the background Raft work, the difference
 * between it and {@code sharedHierarchy} is what sharing adds to the call itself.
 * Both count at the REGIONAL level too (the aggregation needs local counters). The states are
 * separate, so {@code sharedHierarchy} also pays for the three servers' heartbeats and the periodic
 * publication running beside it. Consensus is never on this path: a successful call fires no
 * transition, and a shared breaker is proposed only when it changes state.
 * <pre>
 * java -jar benchmarks/target/qudag-resilience-benchmarks.jar 'cluster.ClusterCallPathBenchmark' -prof gc \
 *      -f 2 -wi 3 -w 1 -i 5 -r 1 -rf json -rff benchmarks/results/cluster.json
 * </pre>
 * Goal: {@code sharedHierarchy} within 5% of {@code localHierarchy}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ClusterCallPathBenchmark {

    private static final BreakerPath EU = BreakerPath.global().child(BreakerLevel.REGIONAL, "eu-west");
    private static final ToolCall CALL = ToolCall.builder("web_search").endpointId("search-1")
            .serviceId("search-mcp").hints(ToolHints.READ_ONLY).build();
    private static final Function<ToolCall, String> TOOL = c -> "ok";

    static BreakerHierarchy hierarchy() {
        return BreakerHierarchy.builder()
                .config(BreakerHierarchyConfig.builder().countingLevels(EnumSet.of(BreakerLevel.REGIONAL,
                        BreakerLevel.SERVICE, BreakerLevel.APPLICATION)).build())
                .pathResolver(PathResolver.standard(Map.of("search-1", "eu-west"), null)).build();
    }

    static ResiliencePipeline<String> pipeline(String name, BreakerHierarchy h) {
        return ResiliencePipeline.<String>builder(name).breaker(h.pathFor(CALL)).build();
    }

    /** One instance on its own. */
    @State(Scope.Benchmark)
    public static class Local {
        ResiliencePipeline<String> pipeline;

        @Setup
        public void setUp() {
            pipeline = pipeline("local", hierarchy());
        }

        @TearDown
        public void tearDown() {
            pipeline.close();
        }
    }

    /**
     * One instance of a running 3-peer group with GLOBAL and eu-west shared, and beside it a pipeline
     * on a local hierarchy of its own (same JVM, same background Raft work).
     */
    @State(Scope.Benchmark)
    public static class Shared {
        /** Ratis' Netty pipeline logs every channel event at INFO through java.util.logging without an SLF4J provider. */
        private static final java.util.logging.Logger NETTY_LOG =
                java.util.logging.Logger.getLogger("org.apache.ratis.thirdparty.io.netty");
        private final List<RaftCluster> clusters = new ArrayList<>();
        private SharedBreakers shared;
        private Path storage;
        ResiliencePipeline<String> pipeline;
        ResiliencePipeline<String> besideGroup;

        private static int freePort() throws IOException {
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                return s.getLocalPort();
            }
        }

        @Setup
        public void setUp() throws Exception {
            NETTY_LOG.setLevel(java.util.logging.Level.WARNING);
            storage = Files.createTempDirectory("qudag-cluster-bench");
            List<ClusterPeer> peers = List.of(new ClusterPeer("p0", "127.0.0.1", freePort()),
                    new ClusterPeer("p1", "127.0.0.1", freePort()), new ClusterPeer("p2", "127.0.0.1", freePort()));
            for (ClusterPeer p : peers) {
                clusters.add(RaftCluster.builder(RaftClusterConfig.builder().peers(peers).localPeerId(p.id())
                        .storageDirectory(storage.resolve(p.id())).build()).build());
            }
            clusters.forEach(RaftCluster::start);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (clusters.stream().noneMatch(c -> c.status().isLeader() && c.status().quorumAvailable())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("no leader within 30 s");
                }
                Thread.onSpinWait();
            }
            BreakerHierarchy h = hierarchy();
            shared = SharedBreakers.builder(clusters.get(0), h).share(EU)
                    .aggregationInterval(Duration.ofSeconds(1)).build();
            pipeline = pipeline("shared", h);
            besideGroup = pipeline("beside-group", hierarchy());
        }

        @TearDown
        public void tearDown() throws Exception {
            pipeline.close();
            besideGroup.close();
            shared.close();
            clusters.forEach(RaftCluster::close);
            try (Stream<Path> files = Files.walk(storage)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Benchmark
    public String localHierarchy(Local s) {
        return s.pipeline.executeToolCall(CALL, TOOL);
    }

    @Benchmark
    public String sharedHierarchy(Shared s) {
        return s.pipeline.executeToolCall(CALL, TOOL);
    }

    /** The local pipeline of {@link #localHierarchy} while the 3-peer group runs in the same JVM. */
    @Benchmark
    public String localHierarchyBesideGroup(Shared s) {
        return s.besideGroup.executeToolCall(CALL, TOOL);
    }
}
