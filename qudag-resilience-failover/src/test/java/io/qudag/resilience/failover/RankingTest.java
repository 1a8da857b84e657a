package io.qudag.resilience.failover;

import static io.qudag.resilience.core.FailoverTier.DISASTER_RECOVERY;
import static io.qudag.resilience.core.FailoverTier.LOCAL;
import static io.qudag.resilience.core.FailoverTier.REGIONAL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** rank(): the ordered endpoint ids a client tries (the MCP client's EndpointSelector.select). */
class RankingTest {

    private final TestClock clock = new TestClock();

    private EndpointGroup group() {
        return EndpointGroup.builder("svc").clock(clock)
                .tier(LOCAL, Endpoint.of("primary", LOCAL, "x"), Endpoint.of("replica", LOCAL, "x"))
                .tier(REGIONAL, Endpoint.of("regional", REGIONAL, "x"))
                .tier(DISASTER_RECOVERY, Endpoint.of("dr", DISASTER_RECOVERY, "x"))
                .build();
    }

    @Test
    void healthyGroupRanksTheChosenEndpointFirstThenItsTierThenTheOthers() {
        EndpointGroup g = group();
        List<String> first = g.rank(null);
        List<String> second = g.rank(null);
        assertThat(List.of(first, second)).containsExactlyInAnyOrder(
                List.of("primary", "replica", "regional", "dr"), List.of("replica", "primary", "regional", "dr"));
        // Precomputed: the same first choice gives the same list instance (no allocation per call).
        assertThat(g.rank(null)).isSameAs(first);
    }

    @Test
    void followsTheSameWeightsAsChooseAndPutsFailedEndpointsLast() {
        EndpointGroup g = group();
        try (FailoverDecisionEngine engine = FailoverDecisionEngine.builder(g).build()) {
            engine.forceFailover("primary");
            Map<String, Integer> firsts = new HashMap<>();
            for (int i = 0; i < 1000; i++) {
                List<String> r = g.rank(null);
                firsts.merge(r.get(0), 1, Integer::sum);
                assertThat(r.get(r.size() - 1)).isEqualTo("primary");
                assertThat(r).hasSize(4).doesNotHaveDuplicates();
            }
            assertThat(firsts).containsOnly(Map.entry("replica", 700), Map.entry("regional", 300));
            engine.drain("regional");
            assertThat(g.rank(null)).doesNotContain("regional");
            engine.drain("replica");
            engine.drain("dr");
            engine.drain("primary");
            assertThatThrownBy(() -> g.rank(null)).isInstanceOf(NoEndpointAvailableException.class);
        }
    }
}
