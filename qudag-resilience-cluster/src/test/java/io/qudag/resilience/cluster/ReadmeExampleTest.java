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
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's usage snippet, compiled and run as a single-peer group. */
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
}
