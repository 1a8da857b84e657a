package io.qudag.resilience.mcp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.qudag.resilience.core.CallOutcome;
import io.qudag.resilience.core.ToolCall;
import io.qudag.resilience.core.ToolHints;
import io.qudag.resilience.mcp.LatencyRoutingConfig;
import io.qudag.resilience.mcp.McpEndpoint;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The latency-aware picker with an injected ticker: tiers, P2C on peak EWMA × load, ejection, return. */
class LatencyAwareSelectorTest {

    private static final long MS = 1_000_000L;
    private static final ToolCall CALL = ToolCall.builder("read").hints(ToolHints.READ_ONLY).build();

    private final AtomicLong now = new AtomicLong(1_000 * MS);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private LatencyAwareSelector selector(LatencyRoutingConfig config, List<String> ids, int... tiers) {
        return new LatencyAwareSelector(ids, tiers, config, now::get, meters);
    }

    private LatencyAwareSelector threeReplicas() {
        return selector(LatencyRoutingConfig.defaults(), List.of("a", "b", "c"), 0, 0, 0);
    }

    /** One finished call of {@code ms} on {@code id}, as the client reports it. */
    private static void call(LatencyAwareSelector s, String id, long ms) {
        s.onAttemptStart(id);
        s.onAttemptEnd(id);
        s.onOutcome(id, CALL, CallOutcome.SUCCESS, ms * MS);
    }

    private static Map<String, Integer> firstPicks(LatencyAwareSelector s, int picks) {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < picks; i++) {
            counts.merge(s.select(CALL).get(0), 1, Integer::sum);
        }
        return counts;
    }

    /** Feeds every endpoint one call per 10 ms of ticker time for {@code ms}, at the latencies given. */
    private void run(LatencyAwareSelector s, long ms, Map<String, Long> latencies) {
        for (long t = 0; t < ms; t += 10) {
            now.addAndGet(10 * MS);
            latencies.forEach((id, l) -> call(s, id, l));
        }
    }

    @Test
    void withoutTiers_theConfiguredOrderIsReturnedAsIs() {
        McpEndpoint a = McpEndpoint.http("a", "http://127.0.0.1:1/mcp").build();
        McpEndpoint b = McpEndpoint.http("b", "http://127.0.0.1:2/mcp").build();
        LatencyAwareSelector s = new LatencyAwareSelector(List.of(a, b), LatencyRoutingConfig.defaults(), now::get,
                null);
        call(s, "b", 1);
        call(s, "a", 500);
        List<String> first = s.select(CALL);
        assertThat(first).containsExactly("a", "b");
        assertThat(s.select(CALL)).isSameAs(first);
    }

    @Test
    void findsEndpointsByEqualIdsAndBySharedHashCodes() {
        // "Aa" and "BB" have the same hash code: the lookup table cannot separate them and scans instead
        assertThat("Aa".hashCode()).isEqualTo("BB".hashCode());
        LatencyAwareSelector s = selector(LatencyRoutingConfig.defaults(), List.of("Aa", "BB", "c"), 0, 0, 0);
        String copyOfBB = new String("BB");
        s.onAttemptStart(copyOfBB);
        s.onAttemptStart("BB");
        s.onAttemptStart("Aa");
        assertThat(s.inFlight("BB")).isEqualTo(2);
        assertThat(s.inFlight("Aa")).isEqualTo(1);
        assertThat(s.inFlight(new String("c"))).isZero();
        s.onOutcome(new String("c"), CALL, CallOutcome.SUCCESS, 7 * MS);
        assertThat(s.peakEwmaNanos("c")).isEqualTo(7.0 * MS);
        assertThat(s.inFlight("unknown")).isZero();
    }

    @Test
    void withAnInFlightSource_theLoadIsTheSourcesCount_andTheAttemptHooksCountNothing() {
        Map<String, java.util.concurrent.atomic.AtomicInteger> pending = new HashMap<>();
        LatencyAwareSelector s = new LatencyAwareSelector(List.of("a", "b"), new int[] {0, 0},
                LatencyRoutingConfig.defaults(), now::get, meters, id -> {
                    java.util.concurrent.atomic.AtomicInteger c = new java.util.concurrent.atomic.AtomicInteger();
                    pending.put(id, c);
                    return c::get;
                });
        call(s, "a", 10);
        call(s, "b", 10);
        s.onAttemptStart("a");
        s.onAttemptStart("a");
        assertThat(s.inFlight("a")).as("the hooks count nothing").isZero();
        pending.get("a").set(3); // the transport has three requests of a in flight
        assertThat(s.inFlight("a")).isEqualTo(3);
        assertThat(firstPicks(s, 100)).containsExactly(Map.entry("b", 100));
        pending.get("a").set(0);
        pending.get("b").set(3);
        assertThat(firstPicks(s, 100)).containsExactly(Map.entry("a", 100));
        assertThatThrownBy(() -> new LatencyAwareSelector(List.of("a"), new int[] {0}, LatencyRoutingConfig.defaults(),
                now::get, null, id -> null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a");
    }

    @Test
    void picksOnlyInTheBestTierWithAnEndpointUp() {
        LatencyAwareSelector s = selector(LatencyRoutingConfig.defaults(), List.of("dr", "a", "b"), 2, 0, 0);
        call(s, "dr", 1);
        assertThat(firstPicks(s, 1_000)).containsOnlyKeys("a", "b");
        assertThat(s.select(CALL).get(2)).isEqualTo("dr");
        s.onLiveness("a", false);
        s.onOutcome("b", CALL, CallOutcome.TRANSPORT_ERROR, MS);
        assertThat(s.select(CALL)).containsExactly("dr", "a", "b");
        s.onLiveness("b", true);
        assertThat(s.select(CALL)).containsExactly("b", "dr", "a");
    }

    @Test
    void twoChoices_sendNothingToTheSlowReplicaWhenTheOthersAreIdle() {
        LatencyAwareSelector s = threeReplicas();
        run(s, 500, Map.of("a", 10L, "b", 12L, "c", 50L));
        Map<String, Integer> picks = firstPicks(s, 3_000);
        assertThat(picks.getOrDefault("c", 0)).as("picks of the slow replica in %s", picks).isZero();
        assertThat(picks.get("a")).isGreaterThan(picks.get("b"));
    }

    @Test
    void loadCounts_aFastReplicaWithManyCallsInFlightLosesToAnIdleSlowerOne() {
        LatencyAwareSelector s = selector(LatencyRoutingConfig.defaults(), List.of("a", "b"), 0, 0);
        run(s, 200, Map.of("a", 10L, "b", 30L));
        for (int i = 0; i < 5; i++) {
            s.onAttemptStart("a");
        }
        assertThat(s.inFlight("a")).isEqualTo(5);
        assertThat(firstPicks(s, 100)).containsOnlyKeys("b");
        for (int i = 0; i < 5; i++) {
            s.onAttemptEnd("a");
        }
        assertThat(firstPicks(s, 100)).containsOnlyKeys("a");
    }

    @Test
    void peakEwma_jumpsToASpikeAtOnce_andDecaysTowardTheObservedLatencyWithTheTimeConstant() {
        LatencyAwareSelector s = selector(LatencyRoutingConfig.builder().outlierEjection(false).build(),
                List.of("a", "b"), 0, 0);
        call(s, "a", 10);
        assertThat(s.peakEwmaNanos("a")).isEqualTo(10.0 * MS);
        now.addAndGet(100 * MS);
        call(s, "a", 400);
        assertThat(s.peakEwmaNanos("a")).as("a spike is taken at once").isEqualTo(400.0 * MS);
        now.addAndGet(5_000 * MS); // one time constant (5 s) later
        call(s, "a", 10);
        // 400 -> 10 with weight e^-1: 10 + 390 * 0.368 = 153 ms (the decay is e^-x within a few percent)
        assertThat(s.peakEwmaNanos("a") / MS).isBetween(140.0, 165.0);
        run(s, 30_000, Map.of("a", 10L));
        assertThat(s.peakEwmaNanos("a") / MS).isBetween(10.0, 11.0);
    }

    @Test
    void aSustainedLatencyOutlierIsEjected_returnsThroughARamp_andIsEjectedLongerWhenStillSlow() {
        LatencyAwareSelector s = threeReplicas();
        run(s, 1_000, Map.of("a", 10L, "b", 10L, "c", 50L));
        assertThat(s.isEjected("c")).as("an outlier for 1 s only (sustain 2 s)").isFalse();
        run(s, 1_500, Map.of("a", 10L, "b", 10L, "c", 50L));
        assertThat(s.isEjected("c")).isTrue();
        assertThat(s.ejections("c")).isEqualTo(1);
        assertThat(meters.counter("qudag.resilience.mcp.routing.ejections", "endpoint", "c").count()).isEqualTo(1);
        assertThat(s.isEjected("a")).isFalse();
        assertThat(s.select(CALL).get(0)).isNotEqualTo("c");
        // ejected for 5 s (base), then back with its peers' median as estimate
        run(s, 5_000, Map.of("a", 10L, "b", 10L));
        assertThat(s.isEjected("c")).isFalse();
        assertThat(s.peakEwmaNanos("c") / MS).isBetween(9.0, 11.0);
        // the ramp: its cost is penalised, so idle peers of equal latency win the draws at first
        assertThat(firstPicks(s, 500).getOrDefault("c", 0)).isZero();
        // still slow: the probe (one call at a time until it answers) puts it back out at once, for twice as long
        s.onAttemptStart("c");
        assertThat(firstPicks(s, 500)).doesNotContainKey("c");
        s.onAttemptEnd("c");
        s.onOutcome("c", CALL, CallOutcome.SUCCESS, 50 * MS);
        run(s, 100, Map.of("a", 10L, "b", 10L));
        assertThat(s.isEjected("c")).isTrue();
        assertThat(s.ejections("c")).isEqualTo(2);
        run(s, 9_000, Map.of("a", 10L, "b", 10L));
        assertThat(s.isEjected("c")).as("10 s ejection not over after 9 s").isTrue();
        run(s, 1_500, Map.of("a", 10L, "b", 10L));
        assertThat(s.isEjected("c")).isFalse();
        // fast again: stays in, and takes its share once the ramp is over
        run(s, 6_000, Map.of("a", 10L, "b", 10L, "c", 10L));
        assertThat(s.isEjected("c")).isFalse();
        assertThat(firstPicks(s, 3_000).get("c")).isBetween(600, 1_400);
    }

    @Test
    void oneSlowAnswerOrAShortPauseEjectsNothing() {
        LatencyAwareSelector s = threeReplicas();
        run(s, 1_000, Map.of("a", 10L, "b", 10L, "c", 10L));
        call(s, "c", 2_000);
        assertThat(s.peakEwmaNanos("c") / MS).as("the peak takes the spike").isEqualTo(2_000.0);
        run(s, 4_000, Map.of("a", 10L, "b", 10L, "c", 10L));
        assertThat(s.ejections("c")).isZero();
        // a 300 ms pause: the calls in flight (here 30) all answer late at once
        for (int i = 0; i < 30; i++) {
            call(s, "c", 300);
        }
        run(s, 4_000, Map.of("a", 10L, "b", 10L, "c", 10L));
        assertThat(s.ejections("c")).isZero();
    }

    @Test
    void neverEjectsMoreThanTheMaxShareOfATier_norTheOnlyEndpointOfATier() {
        LatencyAwareSelector s = selector(LatencyRoutingConfig.builder().maxEjectionShare(0.2).build(),
                List.of("a", "b", "c", "d", "e", "solo"), 0, 0, 0, 0, 0, 1);
        run(s, 4_000, Map.of("a", 10L, "b", 10L, "c", 10L, "d", 100L, "e", 100L, "solo", 500L));
        assertThat(s.isEjected("d") ^ s.isEjected("e")).as("one of two outliers ejected (max share 0.2 of 5)")
                .isTrue();
        assertThat(s.isEjected("a") || s.isEjected("b") || s.isEjected("c")).isFalse();
        assertThat(s.isEjected("solo")).as("the only endpoint of its tier").isFalse();
    }

    @Test
    void theCallPathAllocatesNothing() {
        LatencyAwareSelector s = threeReplicas();
        run(s, 100, Map.of("a", 10L, "b", 12L, "c", 14L));
        com.sun.management.ThreadMXBean mx =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        int calls = 200_000;
        for (int round = 0; round < 3; round++) {
            long before = mx.getThreadAllocatedBytes(tid);
            for (int i = 0; i < calls; i++) {
                String id = s.select(CALL).get(0);
                s.onAttemptStart(id);
                s.onAttemptEnd(id);
                now.addAndGet(1_000);
                s.onOutcome(id, CALL, CallOutcome.SUCCESS, 10 * MS + (i & 7) * MS);
            }
            long perCall = (mx.getThreadAllocatedBytes(tid) - before) / calls;
            if (round == 2) {
                // 0 B/op in JMH; a per-call bound (not an absolute one) absorbs the JIT's one-off allocations
                assertThat(perCall).as("bytes per call").isLessThan(1);
            }
        }
    }

    @Test
    void invalidConfigurationIsRefusedNamingTheField() {
        assertThatThrownBy(() -> LatencyRoutingConfig.builder().outlierFactor(1.0).build())
                .hasMessageContaining("outlierFactor").hasMessageContaining("1.0");
        assertThatThrownBy(() -> LatencyRoutingConfig.builder().decayTime(Duration.ZERO).build())
                .hasMessageContaining("decayTime");
        assertThatThrownBy(() -> LatencyRoutingConfig.builder().maxEjectionShare(1.5).build())
                .hasMessageContaining("maxEjectionShare").hasMessageContaining("1.5");
        assertThatThrownBy(() -> LatencyRoutingConfig.builder()
                .ejectionTime(Duration.ofSeconds(10), Duration.ofSeconds(5)).build())
                .hasMessageContaining("maxEjectionTime");
        assertThatThrownBy(() -> LatencyRoutingConfig.builder().outlierMinExcess(Duration.ofMillis(-1)).build())
                .hasMessageContaining("outlierMinExcess");
        assertThatThrownBy(() -> McpEndpoint.http("a", "http://127.0.0.1:1/mcp").tier(-1).build())
                .hasMessageContaining("tier").hasMessageContaining("-1");
    }

    @Test
    void aLostHedgeIsALowerBound_itRaisesTheEstimatesAndNeverLowersThem() {
        LatencyAwareSelector s = threeReplicas();
        run(s, 1_000, Map.of("a", 200L, "b", 200L, "c", 200L));
        double peakBefore = s.peakEwmaNanos("c");
        double meanBefore = s.latencyEwmaNanos("c");
        // c's attempt lost a hedge race after 450 ms (hedge delay + the winner's latency)
        s.onAttemptAbandoned("c", CALL, 450 * MS);
        s.onOutcome("c", CALL, CallOutcome.REJECTED, 450 * MS);
        assertThat(s.peakEwmaNanos("c")).as("peak jumps to the bound").isEqualTo(450.0 * MS);
        assertThat(s.latencyEwmaNanos("c")).as("mean moves 1/8 toward it").isCloseTo(meanBefore + (450 * MS
                - meanBefore) / 8, org.assertj.core.data.Offset.offset(1.0));
        // a bound below the estimates teaches nothing
        s.onAttemptAbandoned("c", CALL, 10 * MS);
        assertThat(s.peakEwmaNanos("c")).isEqualTo(450.0 * MS);
        assertThat(peakBefore).isLessThan(450.0 * MS);
        assertThat(firstPicks(s, 1_000).getOrDefault("c", 0)).as("c now loses its draws").isZero();
        // sustained lost hedges (and no answers) make c a latency outlier: ejected after the sustain time
        for (int k = 0; k < 400; k++) {
            now.addAndGet(10 * MS);
            call(s, "a", 200);
            call(s, "b", 200);
            s.onAttemptAbandoned("c", CALL, 450 * MS);
        }
        assertThat(s.isEjected("c")).as("ejected on lost hedges alone").isTrue();
        assertThat(s.isEjected("a") || s.isEjected("b")).isFalse();
    }
}
