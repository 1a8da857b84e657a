package io.qudag.resilience.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.qudag.resilience.core.CallOutcome;
import io.qudag.resilience.core.ToolCall;
import io.qudag.resilience.core.breaker.BreakerState;
import io.qudag.resilience.core.hierarchy.BreakerHierarchy;
import io.qudag.resilience.core.hierarchy.BreakerHierarchyConfig;
import io.qudag.resilience.core.hierarchy.BreakerLevel;
import io.qudag.resilience.core.hierarchy.BreakerPath;
import io.qudag.resilience.core.hierarchy.HierarchyRejectedException;
import io.qudag.resilience.core.hierarchy.PathResolver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GLOBAL and REGIONAL breakers shared through the Raft state machine by three instances in one JVM (spec §3.2). */
class SharedBreakersTest {

    private static final BreakerPath EU = BreakerPath.global().child(BreakerLevel.REGIONAL, "eu-west");
    private static final BreakerPath US = BreakerPath.global().child(BreakerLevel.REGIONAL, "us-east");
    private static final ToolCall EU_CALL = ToolCall.builder("search").endpointId("eu-1").serviceId("s").build();

    @TempDir
    Path dir;

    private record Instance(RaftCluster cluster, BreakerHierarchy hierarchy, SharedBreakers shared) {
        void close() {
            shared.close();
            cluster.close();
        }
    }

    private final List<Instance> instances = new ArrayList<>();

    @AfterEach
    void closeAll() {
        instances.parallelStream().forEach(Instance::close);
    }

    private void startGroup() {
        List<ClusterPeer> peers = TestGroups.peers(3);
        for (ClusterPeer p : peers) {
            RaftCluster c = RaftCluster.builder(TestGroups.config(peers, p.id(), dir)).build();
            BreakerHierarchy h = BreakerHierarchy.builder().name("h-" + p.id())
                    .config(BreakerHierarchyConfig.builder().countingLevels(EnumSet.of(BreakerLevel.REGIONAL,
                            BreakerLevel.SERVICE, BreakerLevel.APPLICATION)).build())
                    .pathResolver(PathResolver.standard(Map.of("eu-1", "eu-west", "us-1", "us-east"), null))
                    .build();
            c.start();
            SharedBreakers s = SharedBreakers.builder(c, h).share(EU).share(US).build();
            instances.add(new Instance(c, h, s));
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> instances.stream().allMatch(i ->
                i.cluster().status().quorumAvailable()));
    }

    private static boolean rejects(BreakerHierarchy h, ToolCall call) {
        try {
            h.acquirePermission(call);
            h.onOutcome(call, CallOutcome.SUCCESS, 1_000, null);
            return false;
        } catch (HierarchyRejectedException e) {
            return e.level() == BreakerLevel.REGIONAL || e.level() == BreakerLevel.GLOBAL;
        }
    }

    @Test
    void aRegionOpenedOnOneInstanceRejectsCallsOnAllWithinOneRoundTripAndClosesEverywhere() throws Exception {
        startGroup();
        Instance origin = instances.get(0);
        assertThat(instances).noneMatch(i -> rejects(i.hierarchy(), EU_CALL));

        long t0 = System.nanoTime();
        ReplicatedEntry agreed = origin.shared().open(EU, Duration.ofSeconds(60), "operator: eu-west is down")
                .get(5, TimeUnit.SECONDS);
        long committedMicros = (System.nanoTime() - t0) / 1000;
        for (Instance i : instances) {
            await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(2))
                    .until(() -> rejects(i.hierarchy(), EU_CALL));
        }
        long allRejectMicros = (System.nanoTime() - t0) / 1000;
        System.out.printf(Locale.ROOT, "regional open: committed after %d us, rejected on all 3 instances after %d us%n",
                committedMicros, allRejectMicros);
        assertThat(agreed.index()).isPositive();
        assertThat(origin.shared().agreedStates()).containsEntry(EU, BreakerState.OPEN);
        assertThat(instances.get(2).hierarchy().node(US).state()).isEqualTo(BreakerState.CLOSED);

        instances.get(1).shared().close(EU, "operator: eu-west is back").get(5, TimeUnit.SECONDS);
        for (Instance i : instances) {
            await().atMost(Duration.ofSeconds(2)).until(() -> i.hierarchy().node(EU).state() == BreakerState.CLOSED);
            assertThat(rejects(i.hierarchy(), EU_CALL)).isFalse();
        }
    }

    @Test
    void aSharedBreakerThatOpensByItselfOnOneInstanceIsProposedToAll() {
        startGroup();
        // As an escalation from the services below would do it, on instance 2 only.
        instances.get(2).hierarchy().node(US).transitionToOpen(Duration.ofSeconds(60), "3 services of us-east open");
        ToolCall usCall = ToolCall.builder("search").endpointId("us-1").serviceId("s").build();
        for (Instance i : instances) {
            await().atMost(Duration.ofSeconds(3)).until(() -> rejects(i.hierarchy(), usCall));
        }
        assertThat(instances.get(0).shared().agreedStates()).containsEntry(US, BreakerState.OPEN);
        assertThat(rejects(instances.get(0).hierarchy(), EU_CALL)).as("other regions untouched").isFalse();
    }

    @Test
    void perCallCountersStayLocalAndAreAggregatedWhenPublished() throws Exception {
        startGroup();
        ToolCall call = ToolCall.builder("search").endpointId("eu-1").serviceId("s").build();
        BreakerHierarchy h0 = instances.get(0).hierarchy();
        for (int i = 0; i < 10; i++) {
            h0.acquirePermission(call);
            h0.onOutcome(call, i < 2 ? CallOutcome.SERVER_ERROR : CallOutcome.SUCCESS, 1_000, null);
        }
        assertThat(instances.get(1).cluster().entries(SharedBreakers.COUNTERS)).as("nothing per call").isEmpty();
        instances.get(0).shared().publishCounters().get(5, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(2)).until(() ->
                !Double.isNaN(instances.get(1).shared().aggregatedFailureRate(EU)));
        assertThat(instances.get(1).shared().aggregatedFailureRate(EU)).isCloseTo(0.2, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void aMinorityTakesNoDecision() {
        startGroup();
        Instance lone = instances.get(0);
        instances.get(1).cluster().close();
        instances.get(2).cluster().close();
        await().atMost(Duration.ofSeconds(10)).until(() -> !lone.cluster().status().quorumAvailable());
        assertThatThrownBy(() -> lone.shared().open(US, Duration.ofSeconds(60), "minority").get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class);
        assertThat(lone.shared().agreedStates()).doesNotContainKey(US);
        assertThat(lone.hierarchy().node(US).state()).as("not applied without agreement").isEqualTo(BreakerState.CLOSED);
    }

    @Test
    void onlyGlobalAndRegionalBreakersCanBeShared() {
        BreakerPath service = EU.child(BreakerLevel.SERVICE, "s");
        assertThatThrownBy(() -> SharedBreakers.builder(
                RaftCluster.builder(TestGroups.config(TestGroups.peers(1), "p0", dir)).build(),
                BreakerHierarchy.builder().build()).share(service).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("share.path must be the GLOBAL breaker or a REGIONAL one")
                .hasMessageContaining(service.toString());
    }
}
