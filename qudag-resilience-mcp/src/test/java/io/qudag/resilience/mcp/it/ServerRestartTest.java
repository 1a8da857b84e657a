package io.qudag.resilience.mcp.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import io.qudag.resilience.core.ToolHints;
import io.qudag.resilience.core.pipeline.ResiliencePipeline;
import io.qudag.resilience.core.pipeline.RetryPolicy;
import io.qudag.resilience.mcp.McpOutcomes;
import io.qudag.resilience.mcp.McpConnectionLostException;
import io.qudag.resilience.mcp.McpEndpoint;
import io.qudag.resilience.mcp.ResilientMcpClient;
import io.qudag.resilience.mcp.ResilientMcpClientConfig;
import io.qudag.resilience.mcp.SessionRestartedException;
import io.qudag.resilience.mcp.testing.SdkHttpServer;
import io.qudag.resilience.mcp.testing.TestTools;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Acceptance: a server restart (new session). A read-only call across it succeeds without the caller
 * seeing an error; a destructive call surfaces a typed exception and the server-side counter proves
 * it ran once.
 */
class ServerRestartTest {

    private final TestTools tools = new TestTools();
    private SdkHttpServer server;
    private ResilientMcpClient client;
    private McpSyncClient bare;

    @BeforeEach
    void startServer() throws Exception {
        server = SdkHttpServer.start(0, tools.specs());
    }

    @AfterEach
    void tearDown() {
        tools.release.countDown();
        if (client != null) {
            client.close();
        }
        if (bare != null) {
            bare.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private void restartServer() throws Exception {
        int port = server.port();
        server.close();
        server = SdkHttpServer.start(port, tools.specs());
    }

    private ResilientMcpClient client(Duration pingInterval) {
        return ResilientMcpClient.create(ResilientMcpClientConfig.builder()
                .endpoint(McpEndpoint.http("server", server.url()).trusted(true).build())
                .pingInterval(pingInterval)
                .callTimeout(Duration.ofSeconds(20))
                .build());
    }

    @Test
    void readOnlyCallAfterRestart_succeedsTransparently_whereTheBareClientFails() throws Exception {
        client = client(null);
        bare = McpClient.sync(HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + server.port())
                .endpoint("/mcp").build()).requestTimeout(Duration.ofSeconds(10)).build();
        bare.initialize();
        assertThat(client.toolHints("read")).isEqualTo(new ToolHints(true, false, true, false));
        client.callTool("read", Map.of());

        restartServer();

        assertThatThrownBy(() -> bare.callTool(McpSchema.CallToolRequest.builder("read").arguments(Map.of()).build()))
                .hasMessageContaining("session with server terminated");
        McpSchema.CallToolResult r = client.callTool("read", Map.of());
        assertThat(r.isError()).isFalse();
        assertThat(((McpSchema.TextContent) r.content().get(0)).text()).startsWith("read ");
    }

    @Test
    void readOnlyCallInFlightAcrossRestart_isReSentAndSucceeds() throws Exception {
        // Tomcat takes seconds to stop with a request in flight: retry safe calls for longer than the default
        client = ResilientMcpClient.create(ResilientMcpClientConfig.builder()
                .endpoint(McpEndpoint.http("server", server.url()).trusted(true).build())
                .pingInterval(Duration.ofMillis(100))
                .callTimeout(Duration.ofSeconds(30))
                .pipelineFactory(id -> ResiliencePipeline.<McpSchema.CallToolResult>builder("mcp-" + id)
                        .retry(RetryPolicy.builder().maxAttempts(30).initialBackoff(Duration.ofMillis(200))
                                .multiplier(1.0).jitter(0).build())
                        .outcomeClassifier(McpOutcomes.classifier()).build())
                .build());
        CompletableFuture<McpSchema.CallToolResult> inFlight = client.async().callTool("read", Map.of("block", true));
        await().atMost(Duration.ofSeconds(20)).until(() -> tools.readCount.get() == 1);

        restartServer();
        // the re-sent call reaches the new server and waits there for the same latch
        await().atMost(Duration.ofSeconds(20)).until(() -> tools.readCount.get() == 2);
        tools.release.countDown();

        McpSchema.CallToolResult r = inFlight.get(20, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(r.isError()).isFalse();
        assertThat(((McpSchema.TextContent) r.content().get(0)).text()).startsWith("read ");
    }

    @Test
    void destructiveCallAfterRestart_surfacesSessionRestartedException_andIsNotRepeated() throws Exception {
        client = client(null);
        client.callTool("destroy", Map.of());
        assertThat(tools.destroyCount).hasValue(1);

        restartServer();

        assertThatThrownBy(() -> client.callTool("destroy", Map.of()))
                .isInstanceOf(SessionRestartedException.class)
                .hasMessageContaining("not marked safe to repeat");
        // the SDK re-initialized; a later call works, and the failed one was never re-sent
        client.callTool("read", Map.of());
        assertThat(tools.destroyCount).hasValue(1);
    }

    @Test
    void destructiveCallInFlightAcrossRestart_failsTyped_andRanExactlyOnce() throws Exception {
        client = client(Duration.ofMillis(100));
        CountDownLatch release = tools.release;
        CompletableFuture<McpSchema.CallToolResult> inFlight = client.async().callTool("destroy", Map.of("block", true));
        await().atMost(Duration.ofSeconds(20)).until(() -> tools.destroyCount.get() == 1);

        restartServer();

        assertThat(inFlight).failsWithin(Duration.ofSeconds(20)).withThrowableThat()
                .withCauseInstanceOf(McpConnectionLostException.class);
        release.countDown();
        tools.release = new CountDownLatch(1);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(client.callTool("read", Map.of()).isError()).isFalse());
        assertThat(tools.destroyCount).as("executions of the destructive tool").hasValue(1);
    }
}
