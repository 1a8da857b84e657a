package io.qudag.resilience.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.qudag.resilience.core.FailoverTier;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a group's tier properties become the resilient client's endpoint tiers and routing order. */
class McpClientGroupsTiersTest {

    private final QudagResilienceProperties.Client p = new QudagResilienceProperties.Client();

    private void tier(String connection, FailoverTier tier) {
        QudagResilienceProperties.Connection c = new QudagResilienceProperties.Connection();
        c.setTier(tier);
        p.getConnections().put(connection, c);
    }

    @Test
    void noTierNamed_theClientDefaultApplies_listedOrderIsThePriority() {
        assertThat(McpClientGroups.clientTiers(p, List.of("primary", "replica"))).isNull();
        assertThat(McpClientGroups.ordered(p, List.of("primary", "replica"))).containsExactly("primary", "replica");
    }

    @Test
    void tiersMapToTheirOrdinals_sameTierSharesOneClientTier() {
        tier("a", FailoverTier.LOCAL);
        tier("b", FailoverTier.LOCAL);
        tier("dr", FailoverTier.DISASTER_RECOVERY);
        assertThat(McpClientGroups.clientTiers(p, List.of("a", "b", "dr"))).containsExactly(0, 0, 3);
    }

    @Test
    void anUnsetTierCountsAsLocalOnceTheGroupNamesOne() {
        tier("replica", FailoverTier.REGIONAL);
        List<String> ordered = McpClientGroups.ordered(p, List.of("replica", "primary", "other"));
        assertThat(ordered).containsExactly("primary", "other", "replica");
        assertThat(McpClientGroups.clientTiers(p, ordered)).containsExactly(0, 0, 1);
    }
}
