package io.qudag.resilience.spring.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.modelcontextprotocol.client.transport.customizer.McpSyncHttpClientRequestCustomizer;
import io.qudag.resilience.spring.McpClientGroups;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.ToolCallbackProvider;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * The application's {@link McpSyncHttpClientRequestCustomizer} beans (auth headers, tracing) apply to the
 * tool calls the starter's groups send, not only to Spring AI's own discovery requests.
 */
class RequestCustomizerTest {

    static final AtomicInteger TOOL_CALLS_CUSTOMIZED = new AtomicInteger();

    @Test
    void theApplicationsRequestCustomizerSeesEveryToolCallOfTheGroups() {
        TOOL_CALLS_CUSTOMIZED.set(0);
        try (TestMcpServer server = TestMcpServer.start("primary", 0);
                ConfigurableApplicationContext app = new SpringApplicationBuilder(App.class)
                        .web(WebApplicationType.NONE).properties(
                                "spring.ai.mcp.client.streamable-http.connections.primary.url=" + server.url(),
                                "spring.ai.mcp.server.enabled=false", "spring.main.banner-mode=off",
                                "qudag.resilience.client.startup-wait=30s")
                        .run()) {
            McpClientGroups groups = app.getBean(McpClientGroups.class);
            await().atMost(Duration.ofSeconds(30)).until(() -> groups.groups().get("primary").isUp("primary"));
            ToolCallback whoami = Arrays.stream(app.getBean("mcpToolCallbacks", ToolCallbackProvider.class)
                    .getToolCallbacks()).filter(c -> c.getToolDefinition().name().endsWith("whoami"))
                    .findFirst().orElseThrow();
            for (int i = 0; i < 3; i++) {
                assertThat(whoami.call("{}")).contains("primary");
            }
            assertThat(TOOL_CALLS_CUSTOMIZED).as("tools/call requests that went through the customizer").hasValue(3);
        }
    }

    /** A client application with a request customizer, as one that adds an Authorization header would be. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
        @Bean
        McpSyncHttpClientRequestCustomizer authorization() {
            return (request, method, uri, body, context) -> {
                request.header("Authorization", "Bearer from-the-application");
                if (body != null && body.contains("\"tools/call\"")) {
                    TOOL_CALLS_CUSTOMIZED.incrementAndGet();
                }
            };
        }
    }
}
