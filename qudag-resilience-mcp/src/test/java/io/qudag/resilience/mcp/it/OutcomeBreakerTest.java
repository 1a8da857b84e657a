package io.qudag.resilience.mcp.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.qudag.resilience.core.CallOutcome;
import io.qudag.resilience.core.OutcomePolicy;
import io.qudag.resilience.core.RejectedCallException;
import io.qudag.resilience.core.ToolHints;
import io.qudag.resilience.core.pipeline.Breakers;
import io.qudag.resilience.core.pipeline.ResiliencePipeline;
import io.qudag.resilience.mcp.McpEndpoint;
import io.qudag.resilience.mcp.McpOutcomes;
import io.qudag.resilience.mcp.ResilientMcpClient;
import io.qudag.resilience.mcp.ResilientMcpClientConfig;
import io.qudag.resilience.mcp.testing.ChildProcess;
import io.qudag.resilience.mcp.testing.SdkHttpServer;
import io.qudag.resilience.mcp.testing.TestTools;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Acceptance: isError results do not open the breaker by default, -32603 errors do; unknown-tool
 * errors from both server styles classify the same. Also: hints are honoured only when trusted, and
 * meters are tagged per endpoint and tool.
 */
class OutcomeBreakerTest {

    private final TestTools tools = new TestTools();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private SdkHttpServer server;
    private ChildProcess child;
    private ResilientMcpClient client;
    private CircuitBreaker breaker;

    @AfterEach
    void tearDown() throws Exception {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
        if (child != null) {
            child.close();
        }
    }

    private ResilientMcpClient client(String url, boolean trusted) {
        return client(url, trusted, OutcomePolicy.defaults());
    }

    private ResilientMcpClient client(String url, boolean trusted, OutcomePolicy policy) {
        breaker = CircuitBreaker.of("test", CircuitBreakerConfig.custom().slidingWindowSize(4)
                .minimumNumberOfCalls(4).failureRateThreshold(50).waitDurationInOpenState(Duration.ofMinutes(1))
                .build());
        return ResilientMcpClient.create(ResilientMcpClientConfig.builder()
                .endpoint(McpEndpoint.http("ep", url).trusted(trusted).build())
                .pipelineFactory(id -> ResiliencePipeline.<McpSchema.CallToolResult>builder("mcp-" + id)
                        .breaker(Breakers.of(breaker, policy)).outcomeClassifier(McpOutcomes.classifier())
                        .outcomePolicy(policy).build())
                .outcomePolicy(policy)
                .meterRegistry(registry)
                .callTimeout(Duration.ofSeconds(20))
                .build());
    }

    @Test
    void toolErrorResultsDoNotOpenTheBreakerByDefault() throws Exception {
        server = SdkHttpServer.start(0, tools.specs());
        client = client(server.url(), true);

        for (int i = 0; i < 12; i++) {
            assertThat(client.callTool("tool_error", Map.of()).isError()).isTrue();
        }
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(client.health("ep").failures()).isZero();
        assertThat(registry.get("qudag.resilience.mcp.calls").tags("endpoint", "ep", "tool", "tool_error",
                "outcome", "TOOL_ERROR").timer().count()).isEqualTo(12);
        assertThat(client.callTool("echo", Map.of("text", "still served")).isError()).isFalse();
    }

    @Test
    void internalErrorsOpenTheBreaker() throws Exception {
        assertThat(OutcomePolicy.defaults().isFailure(CallOutcome.SERVER_ERROR)).isTrue();
        server = SdkHttpServer.start(0, tools.specs());
        // Only SERVER_ERROR counts here: SDK 2.1.0 on Tomcat sometimes breaks the HTTP connection after a
        // handler threw (the next request fails with "header parser received no bytes", a transport
        // error), and this test must show that -32603 alone opens the breaker.
        client = client(server.url(), true,
                OutcomePolicy.builder().failureOutcomes(Set.of(CallOutcome.SERVER_ERROR)).build());
        for (int i = 0; i < 4; i++) {
            assertThat(client.callTool("echo", Map.of("text", "warm")).isError()).isFalse();
        }
        int serverErrors = 0;
        for (int i = 0; i < 12 && breaker.getState() == CircuitBreaker.State.CLOSED; i++) {
            Throwable t = catchThrowable(() -> client.callTool("fail", Map.of()));
            if (t instanceof McpError e) {
                assertThat(e.getJsonRpcError().code()).isEqualTo(-32603);
                serverErrors++;
            }
        }
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(serverErrors).isEqualTo(2);
        assertThatThrownBy(() -> client.callTool("echo", Map.of("text", "x")))
                .isInstanceOf(RejectedCallException.class);
        assertThat(registry.get("qudag.resilience.mcp.calls").tags("endpoint", "ep", "tool", "fail",
                "outcome", "SERVER_ERROR").timer().count()).isEqualTo(2);
    }

    @Test
    void unknownToolFromJavaServer_isClientError_andDoesNotTripTheBreaker() throws Exception {
        server = SdkHttpServer.start(0, tools.specs());
        client = client(server.url(), true);
        CallOutcome outcome = unknownToolOutcome();
        assertThat(outcome).isEqualTo(CallOutcome.CLIENT_ERROR);
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void unknownToolFromTypeScriptServer_isClientError_andHintsNeedTrust() throws Exception {
        Path index = ChildProcess.everythingServer();
        int port = ChildProcess.freePort();
        child = ChildProcess.node(Map.of("PORT", String.valueOf(port)), index.toString(), "streamableHttp");
        child.awaitLine(l -> l.contains("listening"), Duration.ofSeconds(60));
        String url = "http://127.0.0.1:" + port + "/mcp";

        client = client(url, false);
        assertThat(client.toolHints("trigger-long-running-operation")).isEqualTo(ToolHints.UNTRUSTED);
        CallOutcome outcome = unknownToolOutcome();
        assertThat(outcome).isEqualTo(CallOutcome.CLIENT_ERROR);
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        client.close();

        client = client(url, true);
        assertThat(client.toolHints("trigger-long-running-operation")).isEqualTo(new ToolHints(true, false, true, false));
    }

    /** Calls an unknown tool 5 times (more than the breaker's window) and returns how it classified. */
    private CallOutcome unknownToolOutcome() {
        CallOutcome last = null;
        for (int i = 0; i < 5; i++) {
            McpSchema.CallToolResult result = null;
            Throwable error = null;
            try {
                result = client.callTool("no_such_tool", Map.of());
            } catch (RuntimeException e) {
                error = e;
            }
            last = McpOutcomes.classifier().classify(result, error);
        }
        assertThat(client.health("ep").failures()).isZero();
        return last;
    }
}
