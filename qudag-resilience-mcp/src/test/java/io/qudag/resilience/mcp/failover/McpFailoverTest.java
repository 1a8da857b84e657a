package io.qudag.resilience.mcp.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.modelcontextprotocol.client.transport.ServerParameters;
import io.qudag.resilience.core.CallOutcome;
import io.qudag.resilience.core.FailoverTier;
import io.qudag.resilience.core.ToolCall;
import io.qudag.resilience.core.ToolHints;
import io.qudag.resilience.failover.Endpoint;
import io.qudag.resilience.failover.EndpointGroup;
import io.qudag.resilience.failover.EndpointState;
import io.qudag.resilience.failover.FailoverCondition;
import io.qudag.resilience.failover.FailoverDecision;
import io.qudag.resilience.failover.FailoverDecisionEngine;
import io.qudag.resilience.failover.spi.HealthProbe;
import io.qudag.resilience.mcp.McpEndpoint;
import io.qudag.resilience.mcp.ResilientMcpClient;
import io.qudag.resilience.mcp.ResilientMcpClientConfig;
import io.qudag.resilience.mcp.testing.ChildProcess;
import io.qudag.resilience.mcp.spi.EndpointSelector;
import io.qudag.resilience.mcp.testing.MutableClock;
import io.qudag.resilience.mcp.testing.SdkHttpServer;
import io.qudag.resilience.mcp.testing.TestTools;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The failover adapter of the MCP client: shared endpoint ids, the selector's routing and signals, the ping probe. */
class McpFailoverTest {

    private final MutableClock clock = new MutableClock();
    private final McpEndpoint a = McpEndpoint.http("a", "http://127.0.0.1:1/mcp").trusted(true).build();
    private final McpEndpoint b = McpEndpoint.http("b", "http://127.0.0.1:2/mcp").build();
    private final ToolCall read = ToolCall.builder("read").hints(new ToolHints(true, false, true, false)).build();
    private FailoverDecisionEngine engine;
    private SdkHttpServer server;

    @AfterEach
    void tearDown() {
        if (engine != null) {
            engine.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private EndpointSelector selector() {
        EndpointGroup group = EndpointGroup.builder("g")
                .tier(FailoverTier.LOCAL, McpFailover.endpoint(a, FailoverTier.LOCAL, 1),
                        McpFailover.endpoint(b, FailoverTier.LOCAL, 1))
                .clock(clock).build();
        engine = FailoverDecisionEngine.builder(group).build();
        return McpFailover.selector(engine, List.of(a, b));
    }

    @Test
    void endpoint_keepsTheMcpEndpointsId_andUsesItsUrlAsAddress() {
        Endpoint e = McpFailover.endpoint(a, FailoverTier.REGIONAL, 3);
        assertThat(e.id()).isEqualTo("a");
        assertThat(e.tier()).isEqualTo(FailoverTier.REGIONAL);
        assertThat(e.weight()).isEqualTo(3);
        assertThat(e.address()).isEqualTo("http://127.0.0.1:1/mcp");
        assertThat(e.attributes()).containsEntry(McpFailover.KIND_ATTRIBUTE, "HTTP");
        Endpoint s = McpFailover.endpoint(McpEndpoint.stdio("s", ServerParameters.builder("node").build()).build(),
                FailoverTier.LOCAL, 1);
        assertThat(s.address()).isEqualTo("stdio:node");
        assertThat(s.attributes()).containsEntry(McpFailover.KIND_ATTRIBUTE, "STDIO");
    }

    @Test
    void badArguments_failNamingTheFieldAndValue() {
        assertThatThrownBy(() -> McpFailover.endpoint(null, FailoverTier.LOCAL, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("endpoint must not be null, was null");
        assertThatThrownBy(() -> McpFailover.endpoint(a, FailoverTier.LOCAL, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("weight").hasMessageContaining("0");
        assertThatThrownBy(() -> McpFailover.pingProbe(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("timeout must be > 0, was PT0S");
        selector();
        McpEndpoint other = McpEndpoint.http("c", "http://127.0.0.1:3/mcp").build();
        assertThatThrownBy(() -> McpFailover.selector(engine, List.of(a, other)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("clientEndpoints ids must equal the ids of group g [a, b], was [a, c]");
        assertThatThrownBy(() -> McpFailover.selector(null, List.of(a, b)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("engine must not be null, was null");
    }

    @Test
    void select_isTheGroupsRanking_andTwoTransportErrorsRedirectInstantly() {
        EndpointSelector selector = selector();
        assertThat(selector.select(read)).containsExactlyInAnyOrder("a", "b");

        selector.onOutcome("a", read.withEndpoint("a"), CallOutcome.TRANSPORT_ERROR, 1_000_000);
        assertThat(engine.decisions()).isEmpty();
        selector.onOutcome("a", read.withEndpoint("a"), CallOutcome.TRANSPORT_ERROR, 1_000_000);

        assertThat(engine.group().status("a").state()).isEqualTo(EndpointState.UNAVAILABLE);
        assertThat(engine.decisions()).extracting(FailoverDecision::condition)
                .containsExactly(FailoverCondition.SERVER_UNREACHABLE);
        for (int i = 0; i < 10; i++) {
            assertThat(selector.select(read)).as("ranking %d", i).containsExactly("b", "a");
        }
    }

    @Test
    void livenessDown_redirectsOnce_livenessUp_changesNothing() {
        EndpointSelector selector = selector();
        selector.onLiveness("b", true);
        assertThat(engine.decisions()).isEmpty();

        selector.onLiveness("b", false);
        selector.onLiveness("b", false);

        assertThat(engine.decisions()).hasSize(1).first().satisfies(d -> {
            assertThat(d.sourceEndpointId()).isEqualTo("b");
            assertThat(d.condition()).isEqualTo(FailoverCondition.SERVER_UNREACHABLE);
            assertThat(d.targets()).containsOnlyKeys("a");
        });
        selector.onLiveness("b", true);
        assertThat(engine.group().status("b").state()).isEqualTo(EndpointState.UNAVAILABLE);
    }

    @Test
    void clientOverAGroupWhosePrimaryNeverConnected_takesHintsFromTheReplica_andServesReadsThere() throws Exception {
        server = SdkHttpServer.start(0, new TestTools().specs());
        McpEndpoint deadPrimary = McpEndpoint.http("primary", "http://127.0.0.1:" + ChildProcess.freePort() + "/mcp")
                .trusted(true).build();
        McpEndpoint replica = McpEndpoint.http("replica", server.url()).trusted(true).build();
        List<McpEndpoint> mcp = List.of(deadPrimary, replica);
        EndpointGroup group = EndpointGroup.builder("g")
                .tier(FailoverTier.LOCAL, McpFailover.endpoint(deadPrimary, FailoverTier.LOCAL, 1),
                        McpFailover.endpoint(replica, FailoverTier.LOCAL, 1))
                .clock(clock).build();
        engine = FailoverDecisionEngine.builder(group).build();
        try (ResilientMcpClient client = ResilientMcpClient.create(ResilientMcpClientConfig.builder()
                .endpoints(mcp).endpointSelector(McpFailover.selector(engine, mcp))
                .pingInterval(null).initializationTimeout(Duration.ofSeconds(2)).build())) {
            client.async().whenAnyReady().get(30, TimeUnit.SECONDS);
            assertThat(client.toolHints("read")).isEqualTo(new ToolHints(true, false, true, false));
            assertThat(client.toolHints("primary", "read")).isEqualTo(ToolHints.UNTRUSTED);
            for (int i = 0; i < 6; i++) {
                assertThat(client.callTool("read", Map.of()).isError()).isFalse();
            }
        }
    }

    @Test
    void pingProbe_isHealthyForALiveSdkServer_andUnhealthyForADeadOneOrAStdioEndpoint() throws Exception {
        server = SdkHttpServer.start(0, new TestTools().specs());
        HealthProbe probe = McpFailover.pingProbe(Duration.ofSeconds(5));
        Endpoint live = McpFailover.endpoint(McpEndpoint.http("live", server.url()).build(), FailoverTier.LOCAL, 1);
        assertThat(probe.check(live).toCompletableFuture().get()).isTrue();

        server.close();
        server = null;
        CompletableFuture<Boolean> dead = probe.check(live).toCompletableFuture();
        assertThat(dead.handle((ok, err) -> err == null && ok).get()).isFalse();
        Endpoint stdio = McpFailover.endpoint(McpEndpoint.stdio("s", ServerParameters.builder("node").build()).build(),
                FailoverTier.LOCAL, 1);
        assertThat(probe.check(stdio).toCompletableFuture().get()).isFalse();
    }
}
