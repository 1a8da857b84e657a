package io.qudag.resilience.mcp.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import io.qudag.resilience.core.plan.ContinuityPolicy;
import io.qudag.resilience.core.plan.DisasterLevel;
import io.qudag.resilience.core.plan.OperatingMode;
import io.qudag.resilience.core.plan.ToolCriticality;
import io.qudag.resilience.mcp.testing.SdkHttpServer;
import io.qudag.resilience.mcp.testing.TestTools;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Business continuity on a real SDK server: in REDUCED mode the critical tool keeps answering, the
 * optional one is refused with a well-formed tool error, and FULL mode serves both again.
 */
class ContinuityToolsTest {

    private final TestTools tools = new TestTools();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ContinuityPolicy policy = ContinuityPolicy.builder()
            .tool("echo", ToolCriticality.CRITICAL)
            .tool("read", ToolCriticality.OPTIONAL)
            .build();
    private SdkHttpServer server;
    private McpSyncClient client;

    @BeforeEach
    void start() throws Exception {
        server = SdkHttpServer.start(0, ContinuityTools.of("continuity-test", policy, registry).decorateAll(tools.specs()));
        client = McpClient.sync(HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + server.port())
                .endpoint("/mcp").build()).requestTimeout(Duration.ofSeconds(20)).build();
        client.initialize();
    }

    @AfterEach
    void stop() {
        tools.release.countDown();
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void reducedModeKeepsCriticalToolsAndRefusesOptionalOnesWithAToolError() {
        assertThat(call("read").isError()).as("FULL mode serves the optional tool").isFalse();

        policy.followLevel(DisasterLevel.SERVICE_DISRUPTION);
        assertThat(policy.mode()).isEqualTo(OperatingMode.REDUCED);

        McpSchema.CallToolResult critical = call("echo");
        assertThat(critical.isError()).isFalse();
        assertThat(((McpSchema.TextContent) critical.content().get(0)).text()).isEqualTo("hi");

        McpSchema.CallToolResult optional = call("read");
        assertThat(optional.isError()).isTrue();
        assertThat(((McpSchema.TextContent) optional.content().get(0)).text())
                .isEqualTo(policy.unavailableMessage("read"))
                .contains("temporarily unavailable").contains("REDUCED");
        assertThat(optional.meta()).containsEntry("io.qudag.resilience/rejectedBy", "continuity")
                .containsEntry("reason", "unavailable").containsEntry(ContinuityTools.META_MODE, "REDUCED");
        assertThat(ContinuityTools.isUnavailable(optional)).isTrue();
        assertThat(ContinuityTools.isUnavailable(critical)).isFalse();
        assertThat(registry.get("qudag.resilience.mcp.server.refusals").tag("tool", "read").tag("reason", "unavailable")
                .counter().count()).isEqualTo(1.0);

        policy.followLevel(null);
        assertThat(call("read").isError()).as("back in FULL mode").isFalse();
    }

    @Test
    void anOperatorModeOverridesTheLevel() {
        policy.setOperatorMode(OperatingMode.EMERGENCY);
        assertThat(call("echo").isError()).isFalse();
        assertThat(ContinuityTools.isUnavailable(call("read"))).isTrue();
        policy.clearOperatorMode();
        assertThat(call("read").isError()).isFalse();
    }

    @Test
    void toolsListIsUnchanged() {
        assertThat(client.listTools().tools()).extracting(McpSchema.Tool::name)
                .containsExactlyInAnyOrderElementsOf(tools.specs().stream().map(s -> s.tool().name()).toList());
    }

    @Test
    void badArgumentsAreRefusedNamingThem() {
        assertThatThrownBy(() -> ContinuityTools.of(" ", policy, null)).hasMessage("serverName must not be blank, was \" \"");
        assertThatThrownBy(() -> ContinuityTools.of("s", null, null)).hasMessage("policy must not be null, was null");
    }

    private McpSchema.CallToolResult call(String tool) {
        Map<String, Object> args = tool.equals("echo") ? Map.of("text", "hi") : Map.of();
        return client.callTool(McpSchema.CallToolRequest.builder(tool).arguments(args).build());
    }
}
