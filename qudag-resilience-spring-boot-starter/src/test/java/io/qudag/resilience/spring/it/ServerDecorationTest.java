package io.qudag.resilience.spring.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import io.qudag.resilience.mcp.server.ResilientTools;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A Spring AI MCP server with the starter: refusals past the time limit, otherwise identical answers. */
class ServerDecorationTest {

    private TestMcpServer decorated;
    private TestMcpServer plain;
    private McpSyncClient decoratedClient;
    private McpSyncClient plainClient;

    @AfterEach
    void stop() {
        for (AutoCloseable c : new AutoCloseable[] {decoratedClient, plainClient, decorated, plain}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // best effort
                }
            }
        }
    }

    @Test
    void aToolSlowerThanItsLimitIsRefusedAndEverythingElseAnswersAsUndecorated() {
        decorated = TestMcpServer.start("s", 0, "qudag.resilience.server.tools.slow.isolation-class=BACKGROUND",
                "qudag.resilience.server.time-limits.BACKGROUND=300ms");
        plain = TestMcpServer.start("s", 0, "qudag.resilience.server.enabled=false");
        decoratedClient = decorated.client();
        plainClient = plain.client();

        McpSchema.CallToolResult refused = decoratedClient.callTool(McpSchema.CallToolRequest.builder("slow")
                .arguments(Map.of("millis", 3000)).build());
        assertThat(refused.isError()).isTrue();
        assertThat(ResilientTools.isRejection(refused)).as("marked as rejected: %s", refused).isTrue();
        assertThat(((McpSchema.TextContent) refused.content().get(0)).text()).contains("slow").contains("timed out");

        List<McpSchema.Tool> decoratedTools = sorted(decoratedClient.listTools().tools());
        List<McpSchema.Tool> plainTools = sorted(plainClient.listTools().tools());
        assertThat(decoratedTools).hasSize(5).isEqualTo(plainTools);
        assertThat(decoratedTools.get(0).annotations()).isNotNull();

        for (McpSchema.CallToolRequest r : List.of(
                McpSchema.CallToolRequest.builder("echo").arguments(Map.of("text", "héllo")).build(),
                McpSchema.CallToolRequest.builder("slow").arguments(Map.of("millis", 5)).build(),
                McpSchema.CallToolRequest.builder("whoami").arguments(Map.of()).build())) {
            McpSchema.CallToolResult a = decoratedClient.callTool(r);
            assertThat(a).as(r.name()).isEqualTo(plainClient.callTool(r));
            assertThat(a.isError()).as(r.name()).isNotEqualTo(Boolean.TRUE);
        }
    }

    @Test
    void statelessServer_aToolSlowerThanItsLimitIsRefused_otherCallsAnswerAsUndecorated() {
        decorated = TestMcpServer.start("s", 0, "spring.ai.mcp.server.protocol=STATELESS",
                "qudag.resilience.server.tools.slow.isolation-class=BACKGROUND",
                "qudag.resilience.server.time-limits.BACKGROUND=300ms");
        plain = TestMcpServer.start("s", 0, "spring.ai.mcp.server.protocol=STATELESS",
                "qudag.resilience.server.enabled=false");
        decoratedClient = decorated.client();
        plainClient = plain.client();

        McpSchema.CallToolResult refused = decoratedClient.callTool(McpSchema.CallToolRequest.builder("slow")
                .arguments(Map.of("millis", 3000)).build());
        assertThat(ResilientTools.isRejection(refused)).as("marked as rejected: %s", refused).isTrue();
        assertThat(sorted(decoratedClient.listTools().tools())).isNotEmpty()
                .isEqualTo(sorted(plainClient.listTools().tools()));
        McpSchema.CallToolRequest echo = McpSchema.CallToolRequest.builder("echo").arguments(Map.of("text", "x")).build();
        assertThat(decoratedClient.callTool(echo)).isEqualTo(plainClient.callTool(echo));
    }

    private static List<McpSchema.Tool> sorted(List<McpSchema.Tool> tools) {
        return tools.stream().sorted(Comparator.comparing(McpSchema.Tool::name)).toList();
    }
}
