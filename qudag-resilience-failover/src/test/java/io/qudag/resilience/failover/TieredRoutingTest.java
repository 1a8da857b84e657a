package io.qudag.resilience.failover;

import static io.qudag.resilience.core.FailoverTier.DISASTER_RECOVERY;
import static io.qudag.resilience.core.FailoverTier.LOCAL;
import static io.qudag.resilience.core.FailoverTier.REGIONAL;
import static org.assertj.core.api.Assertions.assertThat;

import io.qudag.resilience.core.CallOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Weighted routing inside a tier, spill-over by healthy share, panic mode. */
class TieredRoutingTest {

    private final TestClock clock = new TestClock();

    private static EndpointGroupConfig ejectUpToAll() {
        return EndpointGroupConfig.builder()
                .outlierDetection(OutlierDetectionConfig.builder().maxEjectionShare(1.0).build()).build();
    }

    private static void fail5(EndpointGroup g, String id) {
        for (int i = 0; i < 5; i++) {
            g.onOutcome(id, CallOutcome.SERVER_ERROR, 1_000_000);
        }
        assertThat(g.status(id).state()).isEqualTo(EndpointState.UNAVAILABLE);
    }

    @Test
    void smoothWeightedRoundRobinFollowsWeightsExactlyAndInterleaves() {
        EndpointGroup g = EndpointGroup.builder("svc").clock(clock)
                .tier(LOCAL, Endpoint.of("a", LOCAL, 1, "x"), Endpoint.of("b", LOCAL, 2, "x"),
                        Endpoint.of("c", LOCAL, 3, "x"))
                .build();
        List<String> first = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            first.add(g.choose(null).id());
        }
        // nginx smooth WRR for 1:2:3: c b a c b c — never the same endpoint three times in a row.
        assertThat(first).containsExactly("c", "b", "a", "c", "b", "c");
        Map<String, Integer> counts = Traffic.healthy(g, 594, 10);
        assertThat(counts).containsEntry("a", 99).containsEntry("b", 198).containsEntry("c", 297);
    }

    @Test
    void oneOfTwoLocalDownSpillsThirtyPercentToTheNextTier() {
        EndpointGroup g = EndpointGroup.builder("svc").clock(clock)
                .tier(LOCAL, Endpoint.of("primary", LOCAL, "x"), Endpoint.of("replica", LOCAL, "x"))
                .tier(DISASTER_RECOVERY, Endpoint.of("dr", DISASTER_RECOVERY, "x"))
                .build();
        assertThat(g.routing().tierLoadPercent()).containsEntry(LOCAL, 100).containsEntry(DISASTER_RECOVERY, 0);
        fail5(g, "primary");
        RoutingSnapshot r = g.routing();
        // health(LOCAL) = min(100, 1.4 × 50%) = 70; the rest goes to the next tier.
        assertThat(r.tierLoadPercent()).containsEntry(LOCAL, 70).containsEntry(DISASTER_RECOVERY, 30);
        assertThat(r.panicTiers()).isEmpty();
        assertThat(r.normalizedTotalAvailability()).isEqualTo(100);
        Map<String, Integer> counts = Traffic.healthy(g, 1000, 10);
        assertThat(counts).containsEntry("primary", 0).containsEntry("replica", 700).containsEntry("dr", 300);
    }

    @Test
    void overprovisioningFactorOneSpillsInProportion() {
        EndpointGroup g = EndpointGroup.builder("svc").clock(clock)
                .config(EndpointGroupConfig.builder().overprovisioningFactor(1.0).build())
                .tier(LOCAL, Endpoint.of("a", LOCAL, "x"), Endpoint.of("b", LOCAL, "x"), Endpoint.of("c", LOCAL, "x"),
                        Endpoint.of("d", LOCAL, "x"))
                .tier(REGIONAL, Endpoint.of("r", REGIONAL, "x"))
                .build();
        fail5(g, "a");
        assertThat(g.routing().tierLoadPercent()).containsEntry(LOCAL, 75).containsEntry(REGIONAL, 25);
    }

    @Test
    void wholeLocalTierDownSendsEverythingToDisasterRecovery() {
        EndpointGroup g = EndpointGroup.builder("svc").clock(clock).config(ejectUpToAll())
                .tier(LOCAL, Endpoint.of("primary", LOCAL, "x"), Endpoint.of("replica", LOCAL, "x"))
                .tier(DISASTER_RECOVERY, Endpoint.of("dr", DISASTER_RECOVERY, "x"))
                .build();
        fail5(g, "primary");
        fail5(g, "replica");
        assertThat(g.routing().tierLoadPercent()).containsEntry(LOCAL, 0).containsEntry(DISASTER_RECOVERY, 100);
        assertThat(Traffic.healthy(g, 50, 10)).containsEntry("dr", 50);
        assertThat(g.routing().share("dr")).isEqualTo(1.0);
    }

    @Test
    void panicModeRoutesToAllEndpointsOfTheTierBelowThePanicThreshold() {
        EndpointGroup g = EndpointGroup.builder("svc").clock(clock).config(ejectUpToAll())
                .tier(LOCAL, Endpoint.of("a", LOCAL, "x"), Endpoint.of("b", LOCAL, "x"), Endpoint.of("c", LOCAL, "x"))
                .build();
        fail5(g, "a");
        assertThat(g.routing().panicTiers()).isEmpty(); // 2/3 available, 93% health
        fail5(g, "b");
        RoutingSnapshot r = g.routing();
        // 1/3 available < 50%, and the total health (46%) is below 100%: panic.
        assertThat(r.normalizedTotalAvailability()).isEqualTo(46);
        assertThat(r.panicTiers()).containsExactly(LOCAL);
        Map<String, Integer> counts = Traffic.run(g, 300, id -> Traffic.Behaviour.ok(5));
        assertThat(counts).containsEntry("a", 100).containsEntry("b", 100).containsEntry("c", 100);
    }

    @Test
    void panicThresholdZeroDisablesPanic() {
        EndpointGroup g = EndpointGroup.builder("svc").clock(clock)
                .config(EndpointGroupConfig.builder().panicThreshold(0.0)
                        .outlierDetection(OutlierDetectionConfig.builder().maxEjectionShare(1.0).build()).build())
                .tier(LOCAL, Endpoint.of("a", LOCAL, "x"), Endpoint.of("b", LOCAL, "x"), Endpoint.of("c", LOCAL, "x"))
                .build();
        fail5(g, "a");
        fail5(g, "b");
        assertThat(g.routing().panicTiers()).isEmpty();
        assertThat(Traffic.healthy(g, 30, 5)).containsEntry("c", 30);
    }

    @Test
    void noHealthyEndpointAnywhereMeansPanicInTheFirstTier() {
        EndpointGroup g = EndpointGroup.builder("svc").clock(clock).config(ejectUpToAll())
                .tier(LOCAL, Endpoint.of("a", LOCAL, "x"))
                .tier(DISASTER_RECOVERY, Endpoint.of("dr", DISASTER_RECOVERY, "x"))
                .build();
        fail5(g, "a");
        fail5(g, "dr");
        RoutingSnapshot r = g.routing();
        assertThat(r.tierLoadPercent()).containsEntry(LOCAL, 100);
        assertThat(r.panicTiers()).containsExactly(LOCAL);
        assertThat(g.choose(null).id()).isEqualTo("a");
    }

    @Test
    void chooseOtherAvoidsTheGivenEndpoint() {
        EndpointGroup g = EndpointGroup.builder("svc").clock(clock)
                .tier(LOCAL, Endpoint.of("a", LOCAL, "x"), Endpoint.of("b", LOCAL, "x"))
                .tier(DISASTER_RECOVERY, Endpoint.of("dr", DISASTER_RECOVERY, "x"))
                .build();
        for (int i = 0; i < 50; i++) {
            assertThat(g.chooseOther(null, "a").id()).isNotEqualTo("a");
        }
        EndpointGroup single = EndpointGroup.builder("svc").clock(clock)
                .tier(LOCAL, Endpoint.of("only", LOCAL, "x"))
                .tier(DISASTER_RECOVERY, Endpoint.of("dr", DISASTER_RECOVERY, "x"))
                .build();
        // The only LOCAL endpoint is avoided: a healthy endpoint of another tier is used.
        assertThat(single.chooseOther(null, "only").id()).isEqualTo("dr");
    }

    @Test
    void rejectedOutcomesAndToolErrorsDoNotCountAgainstTheEndpoint() {
        EndpointGroup g = EndpointGroup.builder("svc").clock(clock)
                .tier(LOCAL, Endpoint.of("a", LOCAL, "x"), Endpoint.of("b", LOCAL, "x"))
                .build();
        for (int i = 0; i < 20; i++) {
            g.onOutcome("a", CallOutcome.REJECTED, 0);
            g.onOutcome("a", CallOutcome.TOOL_ERROR, 1_000_000);
            g.onOutcome("a", CallOutcome.CLIENT_ERROR, 1_000_000);
        }
        assertThat(g.status("a").state()).isEqualTo(EndpointState.HEALTHY);
        assertThat(g.status("a").consecutiveFailures()).isZero();
    }
}
