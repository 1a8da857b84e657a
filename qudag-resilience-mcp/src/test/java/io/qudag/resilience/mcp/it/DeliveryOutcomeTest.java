package io.qudag.resilience.mcp.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.modelcontextprotocol.spec.McpSchema;
import io.qudag.resilience.mcp.McpConnectionLostException;
import io.qudag.resilience.mcp.McpEndpoint;
import io.qudag.resilience.mcp.ResilientMcpClient;
import io.qudag.resilience.mcp.ResilientMcpClientConfig;
import io.qudag.resilience.mcp.testing.ChildProcess;
import io.qudag.resilience.mcp.testing.SdkHttpServer;
import io.qudag.resilience.mcp.testing.SdkServerMain;
import io.qudag.resilience.mcp.testing.TestTools;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a lost connection says about delivery: "not sent" only when the request provably never left
 * (the connection was refused before anything came back), "unknown" once it may have reached the
 * server. Liveness pings are off here, so the failures come from the SDK's own transport, where a
 * refused reconnect after the request went out also carries a {@code ConnectException}.
 */
class DeliveryOutcomeTest {

    private ChildProcess child;
    private SdkHttpServer server;
    private ResilientMcpClient client;

    @AfterEach
    void tearDown() throws Exception {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
        if (child != null) {
            child.close(); // SIGKILL by PID
        }
    }

    @Test
    void serverKilledAfterTheFirstProgressNotification_outcomeIsUnknown_neverNotSent() throws Exception {
        child = ChildProcess.java(SdkServerMain.class, "http");
        String line = child.awaitLine(l -> l.startsWith("PORT "), Duration.ofSeconds(60));
        Set<Object> progressed = ConcurrentHashMap.newKeySet();
        client = ResilientMcpClient.create(ResilientMcpClientConfig.builder()
                .endpoint(McpEndpoint.http("server", "http://127.0.0.1:" + line.substring(5).trim() + "/mcp")
                        .trusted(true).build())
                .pingInterval(null)
                .callTimeout(Duration.ofSeconds(8))
                .progressConsumer(n -> progressed.add(n.progressToken()))
                .build());
        client.async().whenReady().get(30, TimeUnit.SECONDS);
        // read-only, so the pipeline retries it once: that retry is refused (not sent), yet the call as a
        // whole had reached the server, and the caller is told so
        CompletableFuture<McpSchema.CallToolResult> call = client.async().callTool(new McpSchema.CallToolRequest(
                "progress", Map.of("steps", 100), Map.of("progressToken", "kill-me")));
        await().atMost(Duration.ofSeconds(30)).until(() -> progressed.contains("kill-me"));
        child.kill();

        assertThat(call).failsWithin(Duration.ofSeconds(15)).withThrowableThat().satisfies(e -> {
            Throwable cause = e.getCause();
            if (cause instanceof McpConnectionLostException lost) {
                assertThat(lost.delivery()).as("delivery of a call whose progress had arrived")
                        .isEqualTo(McpConnectionLostException.Delivery.UNKNOWN);
                assertThat(lost).hasMessageNotContaining("was not sent");
            } else {
                // the SDK may instead leave the broken stream to the call's deadline: also never "not sent"
                assertThat(cause).hasMessageNotContaining("not sent");
            }
        });
    }

    @Test
    void connectionRefusedBeforeTheRequestIsWritten_outcomeIsNotSent() throws Exception {
        TestTools tools = new TestTools();
        server = SdkHttpServer.start(0, tools.specs());
        client = ResilientMcpClient.create(ResilientMcpClientConfig.builder()
                .endpoint(McpEndpoint.http("server", server.url()).trusted(true).build())
                .pingInterval(null)
                .callTimeout(Duration.ofSeconds(8))
                .build());
        client.async().whenReady().get(30, TimeUnit.SECONDS);
        assertThat(client.callTool("destroy", Map.of()).isError()).isFalse();
        server.close(); // the port now refuses connections
        server = null;

        CompletableFuture<McpSchema.CallToolResult> call = client.async().callTool("destroy", Map.of());
        assertThat(call).failsWithin(Duration.ofSeconds(15)).withThrowableThat()
                .havingCause().isInstanceOfSatisfying(McpConnectionLostException.class, lost -> {
                    assertThat(lost.delivery()).isEqualTo(McpConnectionLostException.Delivery.NOT_SENT);
                    assertThat(lost.notSent()).isTrue();
                    assertThat(lost).hasMessageContaining("was not sent");
                });
        assertThat(tools.destroyCount).as("executions of the destructive tool").hasValue(1);
    }
}
