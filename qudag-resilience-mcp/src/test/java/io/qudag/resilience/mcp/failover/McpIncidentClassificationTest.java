package io.qudag.resilience.mcp.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.qudag.resilience.core.FailoverTier;
import io.qudag.resilience.core.plan.DisasterLevel;
import io.qudag.resilience.core.plan.DisasterRecoveryPlan;
import io.qudag.resilience.core.plan.DisasterRecoveryPlanConfig;
import io.qudag.resilience.core.plan.IncidentSignal;
import io.qudag.resilience.core.plan.IncidentSnapshot;
import io.qudag.resilience.failover.Endpoint;
import io.qudag.resilience.failover.EndpointGroup;
import io.qudag.resilience.failover.FailoverDecisionEngine;
import io.qudag.resilience.failover.plan.FailoverPlanSignals;
import io.qudag.resilience.mcp.McpEndpoint;
import io.qudag.resilience.mcp.ResilientMcpClient;
import io.qudag.resilience.mcp.ResilientMcpClientConfig;
import io.qudag.resilience.mcp.testing.SdkHttpServer;
import io.qudag.resilience.mcp.testing.TestTools;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The disaster-recovery plan classifies real outages (spec §4.3): four MCP SDK servers on loopback
 * behind the resilient client and its failover group, stopped one by one. The client's liveness sees
 * each refused port, the failover group marks the endpoint down, and the group's signals take the
 * plan's incident from level 1 (one endpoint) to 2 (every endpoint of one service), 3 (a whole tier)
 * and 4 (every tier).
 */
class McpIncidentClassificationTest {

    private final Map<String, SdkHttpServer> servers = new LinkedHashMap<>();
    private final List<TestTools> tools = new ArrayList<>();
    private FailoverDecisionEngine engine;
    private DisasterRecoveryPlan plan;
    private FailoverPlanSignals signals;
    private ResilientMcpClient client;

    @AfterEach
    void tearDown() {
        tools.forEach(t -> t.release.countDown());
        if (client != null) {
            client.close();
        }
        if (signals != null) {
            signals.close();
        }
        if (plan != null) {
            plan.close();
        }
        if (engine != null) {
            engine.close();
        }
        servers.values().forEach(SdkHttpServer::close);
    }

    @Test
    void realOutagesReachLevelsOneToFourAsTheRulesSay() throws Exception {
        // LOCAL: a (indexer), b (search); REGIONAL: r1 (indexer), r2 (search)
        List<McpEndpoint> mcp = new ArrayList<>();
        List<Endpoint> local = new ArrayList<>();
        List<Endpoint> regional = new ArrayList<>();
        for (String[] e : new String[][] {{"a", "indexer"}, {"b", "search"}, {"r1", "indexer"}, {"r2", "search"}}) {
            TestTools t = new TestTools();
            tools.add(t);
            SdkHttpServer server = SdkHttpServer.start(0, t.specs());
            servers.put(e[0], server);
            McpEndpoint endpoint = McpEndpoint.http(e[0], server.url()).trusted(true).build();
            mcp.add(endpoint);
            FailoverTier tier = e[0].startsWith("r") ? FailoverTier.REGIONAL : FailoverTier.LOCAL;
            Endpoint failover = Endpoint.builder(e[0]).tier(tier).address(server.url())
                    .attribute(McpFailover.KIND_ATTRIBUTE, "HTTP")
                    .attribute(FailoverPlanSignals.SERVICE_ATTRIBUTE, e[1])
                    .attribute(FailoverPlanSignals.REGION_ATTRIBUTE, "eu-west").build();
            (tier == FailoverTier.LOCAL ? local : regional).add(failover);
        }
        EndpointGroup group = EndpointGroup.builder("tools")
                .tier(FailoverTier.LOCAL, local.toArray(Endpoint[]::new))
                .tier(FailoverTier.REGIONAL, regional.toArray(Endpoint[]::new))
                .build();
        engine = FailoverDecisionEngine.builder(group).build();
        plan = DisasterRecoveryPlan.builder().name("tools").config(DisasterRecoveryPlanConfig.builder().build()).build();
        signals = FailoverPlanSignals.watch(engine, plan::signal);
        client = ResilientMcpClient.create(ResilientMcpClientConfig.builder()
                .endpoints(mcp).endpointSelector(McpFailover.selector(engine, mcp))
                .pingInterval(Duration.ofMillis(100)).build());
        client.async().whenReady().get(30, TimeUnit.SECONDS);
        assertThat(plan.currentIncident()).as("every server answers: no incident").isEmpty();

        stop("a");
        awaitLevel(DisasterLevel.COMPONENT_FAILURE);

        stop("r1");
        awaitLevel(DisasterLevel.SERVICE_DISRUPTION);
        assertThat(plan.classifier().failing()).extracting(IncidentSignal::service).containsOnly("indexer");

        stop("b");
        awaitLevel(DisasterLevel.REGIONAL_DISASTER);
        assertThat(plan.classifier().failing()).extracting(IncidentSignal::key).contains("TIER:LOCAL");

        stop("r2");
        awaitLevel(DisasterLevel.GLOBAL_CATASTROPHE);
        assertThat(plan.currentIncident().orElseThrow().reasons()).isNotEmpty();
    }

    private void stop(String id) {
        servers.remove(id).close();
    }

    private void awaitLevel(DisasterLevel level) {
        await().atMost(20, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
                assertThat(plan.currentIncident().map(IncidentSnapshot::level)).as("incident level").contains(level));
    }
}
