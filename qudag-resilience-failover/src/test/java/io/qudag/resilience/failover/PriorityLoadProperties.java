package io.qudag.resilience.failover;

import static org.assertj.core.api.Assertions.assertThat;

import io.qudag.resilience.core.CallOutcome;
import io.qudag.resilience.core.FailoverTier;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Envoy's priority load: loads add up to 100, a tier never takes more than its health unless normalised. */
class PriorityLoadProperties {

    private static final FailoverTier[] TIERS = {FailoverTier.LOCAL, FailoverTier.REGIONAL, FailoverTier.GEOGRAPHIC,
            FailoverTier.DISASTER_RECOVERY};

    /**
     * @param sizes endpoints per tier (1..6)
     * @param down  how many of each tier's endpoints are ejected (clamped to its size)
     */
    @Property(tries = 200)
    void loadsAddUpAndFollowHealth(@ForAll @Size(min = 1, max = 4) List<@IntRange(min = 1, max = 6) Integer> sizes,
                                   @ForAll @Size(value = 4) List<@IntRange(min = 0, max = 6) Integer> down) {
        TestClock clock = new TestClock();
        EndpointGroup.Builder b = EndpointGroup.builder("p").clock(clock).config(EndpointGroupConfig.builder()
                .outlierDetection(OutlierDetectionConfig.builder().maxEjectionShare(1.0).build()).build());
        for (int t = 0; t < sizes.size(); t++) {
            for (int i = 0; i < sizes.get(t); i++) {
                b.endpoint(Endpoint.of(t + "-" + i, TIERS[t], "x"));
            }
        }
        EndpointGroup g = b.build();
        int[] healthy = new int[sizes.size()];
        for (int t = 0; t < sizes.size(); t++) {
            int d = Math.min(down.get(t), sizes.get(t));
            healthy[t] = sizes.get(t) - d;
            for (int i = 0; i < d; i++) {
                for (int k = 0; k < 5; k++) {
                    g.onOutcome(t + "-" + i, CallOutcome.SERVER_ERROR, 1);
                }
            }
        }
        RoutingSnapshot r = g.routing();
        Map<FailoverTier, Integer> loads = r.tierLoadPercent();
        assertThat(loads.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(100);
        int sumHealth = 0;
        int[] health = new int[sizes.size()];
        for (int t = 0; t < sizes.size(); t++) {
            health[t] = (int) Math.min(100, Math.floor(140.0 * healthy[t] / sizes.get(t) + 1e-9));
            sumHealth += health[t];
        }
        assertThat(r.normalizedTotalAvailability()).isEqualTo(Math.min(100, sumHealth));
        if (sumHealth >= 100) {
            assertThat(r.panicTiers()).isEmpty();
            int remaining = 100;
            for (int t = 0; t < sizes.size(); t++) {
                int expected = Math.min(health[t], remaining);
                remaining -= expected;
                assertThat(loads.get(TIERS[t])).as("tier %s", TIERS[t]).isEqualTo(expected);
            }
        }
        double shares = r.endpointShare().values().stream().mapToDouble(Double::doubleValue).sum();
        assertThat(shares).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
        // Outside panic mode, an ejected endpoint gets nothing.
        for (int t = 0; t < sizes.size(); t++) {
            if (!r.panicTiers().contains(TIERS[t])) {
                for (int i = 0; i < Math.min(down.get(t), sizes.get(t)); i++) {
                    assertThat(r.share(t + "-" + i)).isZero();
                }
            }
        }
    }
}
