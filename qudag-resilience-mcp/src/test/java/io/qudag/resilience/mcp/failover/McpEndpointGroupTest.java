package io.qudag.resilience.mcp.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.qudag.resilience.core.FailoverTier;
import io.qudag.resilience.failover.Endpoint;
import io.qudag.resilience.failover.EndpointGroup;
import io.qudag.resilience.failover.FailoverDecisionEngine;
import io.qudag.resilience.mcp.McpEndpoint;
import org.junit.jupiter.api.Test;

/** MCP endpoints and their tiers are stated once; the group and the client's endpoints agree. */
class McpEndpointGroupTest {

    private final McpEndpoint primary = McpEndpoint.http("primary", "http://127.0.0.1:9001/mcp").build();
    private final McpEndpoint replica = McpEndpoint.http("replica", "http://127.0.0.1:9002/mcp").build();
    private final McpEndpoint dr = McpEndpoint.http("dr", "http://127.0.0.1:9003/mcp").build();

    @Test
    void eachEndpointLandsInItsTierOnce_andTheClientGetsTheSameIds() {
        McpEndpointGroup search = McpEndpointGroup.builder("search")
                .tier(FailoverTier.LOCAL, primary, replica)
                .endpoint(dr, FailoverTier.DISASTER_RECOVERY, 3)
                .build();

        assertThat(search.endpoints()).containsExactly(primary, replica, dr);
        EndpointGroup group = search.group();
        assertThat(group.name()).isEqualTo("search");
        assertThat(group.endpoints()).extracting(Endpoint::id, Endpoint::tier, Endpoint::weight).containsExactly(
                org.assertj.core.groups.Tuple.tuple("primary", FailoverTier.LOCAL, 1),
                org.assertj.core.groups.Tuple.tuple("replica", FailoverTier.LOCAL, 1),
                org.assertj.core.groups.Tuple.tuple("dr", FailoverTier.DISASTER_RECOVERY, 3));
        assertThat(group.endpoints().get(0).address()).isEqualTo("http://127.0.0.1:9001/mcp");

        try (FailoverDecisionEngine engine = FailoverDecisionEngine.builder(group).build()) {
            assertThat(search.selector(engine)).isNotNull();
        }
    }

    @Test
    void badDefinitionsFailInBuildNamingFieldAndValue() {
        assertThatThrownBy(() -> McpEndpointGroup.builder("g").tier(FailoverTier.LOCAL).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tier LOCAL must name at least one endpoint, was none");
        assertThatThrownBy(() -> McpEndpointGroup.builder("g").tier(FailoverTier.LOCAL, primary)
                .tier(FailoverTier.GEOGRAPHIC, primary).build())
                .hasMessage("endpoint ids must be unique, was \"primary\" twice");
        assertThatThrownBy(() -> McpEndpointGroup.builder("g").endpoint(primary, FailoverTier.LOCAL, 0).build())
                .hasMessageContaining("endpoint[primary].weight must be in 1..");
        assertThatThrownBy(() -> McpEndpointGroup.builder("g").build())
                .hasMessage("endpoints of group g must name at least one, was none");
        McpEndpointGroup one = McpEndpointGroup.builder("one").tier(FailoverTier.LOCAL, primary).build();
        McpEndpointGroup other = McpEndpointGroup.builder("other").tier(FailoverTier.LOCAL, primary).build();
        try (FailoverDecisionEngine engine = FailoverDecisionEngine.builder(other.group()).build()) {
            assertThatThrownBy(() -> one.selector(engine))
                    .hasMessage("engine must run on this group one, was one on other");
        }
    }
}
