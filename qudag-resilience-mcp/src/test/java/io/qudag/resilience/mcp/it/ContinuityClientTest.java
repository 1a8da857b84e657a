package io.qudag.resilience.mcp.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema;
import io.qudag.resilience.core.plan.ContinuityPolicy;
import io.qudag.resilience.core.plan.OperatingMode;
import io.qudag.resilience.core.plan.ToolCriticality;
import io.qudag.resilience.mcp.McpDeadlineExceededException;
import io.qudag.resilience.mcp.McpEndpoint;
import io.qudag.resilience.mcp.ResilientMcpAsyncClient;
import io.qudag.resilience.mcp.ResilientMcpClientConfig;
import io.qudag.resilience.mcp.server.ContinuityTools;
import io.qudag.resilience.mcp.testing.SdkHttpServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Business continuity on the client side, against a real SDK server: a tool the current mode does not
 * serve is answered with the server's "temporarily unavailable" tool error without being sent, and calls
 * beyond the concurrency limit are sent critical first.
 */
class ContinuityClientTest {

    private final ContinuityPolicy policy = ContinuityPolicy.builder()
            .tool("report", ToolCriticality.CRITICAL)
            .tool("suggest", ToolCriticality.OPTIONAL)
            .build(); // "summarize" is STANDARD by default
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Semaphore go = new Semaphore(0);
    private final List<String> started = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> received = new ConcurrentHashMap<>();
    private SdkHttpServer server;
    private ResilientMcpAsyncClient client;

    private SyncToolSpecification gated(String name) {
        McpSchema.Tool tool = McpSchema.Tool.builder(name, Map.of("type", "object")).description("waits for the test")
                .annotations(McpSchema.ToolAnnotations.builder().readOnlyHint(true)
                .idempotentHint(true).destructiveHint(false).openWorldHint(false).build()).build();
        return new SyncToolSpecification(tool, (ex, req) -> {
            received.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
            started.add(String.valueOf(req.arguments().get("id")));
            if (Boolean.TRUE.equals(req.arguments().get("gated"))) {
                try {
                    go.tryAcquire(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return McpSchema.CallToolResult.builder().addTextContent(name + " " + req.arguments().get("id"))
                    .isError(false).build();
        });
    }

    @BeforeEach
    void start() throws Exception {
        server = SdkHttpServer.start(0, List.of(gated("report"), gated("summarize"), gated("suggest")));
    }

    @AfterEach
    void stop() throws Exception {
        go.release(1000);
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private ResilientMcpAsyncClient client(int maxConcurrentCalls) throws Exception {
        client = ResilientMcpAsyncClient.create(ResilientMcpClientConfig.builder()
                .endpoint(McpEndpoint.http("a", server.url()).trusted(true).build())
                .continuity(policy).maxConcurrentCalls(maxConcurrentCalls).meterRegistry(registry).build());
        client.whenReady().get(30, TimeUnit.SECONDS);
        return client;
    }

    private CompletableFuture<McpSchema.CallToolResult> call(String tool, String id, boolean gated, Duration deadline) {
        return client.callTool(McpSchema.CallToolRequest.builder(tool)
                .arguments(Map.of("id", id, "gated", gated)).build(), deadline);
    }

    @Test
    void callsBeyondTheLimitAreSentCriticalFirst_thenInArrivalOrder() throws Exception {
        client(2);
        List<CompletableFuture<McpSchema.CallToolResult>> calls = new ArrayList<>();
        calls.add(call("summarize", "s0", true, Duration.ofSeconds(60)));
        calls.add(call("summarize", "s1", true, Duration.ofSeconds(60)));
        await().atMost(Duration.ofSeconds(20)).until(() -> started.size() == 2);
        for (int i = 2; i < 6; i++) {
            calls.add(call("summarize", "s" + i, true, Duration.ofSeconds(60)));
        }
        for (int i = 0; i < 3; i++) {
            calls.add(call("report", "r" + i, true, Duration.ofSeconds(60)));
        }
        assertThat(registry.get("qudag.resilience.mcp.queued").gauge().value()).as("waiting calls").isEqualTo(7.0);
        assertThat(started).as("nothing beyond the limit reached the server").hasSize(2);

        for (int n = 3; n <= 9; n++) {
            go.release(); // one call finishes, so exactly one waiting call is sent
            int expected = n;
            await().atMost(Duration.ofSeconds(20)).until(() -> started.size() == expected);
        }
        go.release(2);
        for (CompletableFuture<McpSchema.CallToolResult> c : calls) {
            assertThat(c.get(20, TimeUnit.SECONDS).isError()).isFalse();
        }
        System.out.println("MEASURED start order with 2 permits: " + started);
        assertThat(started.subList(0, 2)).as("sent at once, in either order").containsExactlyInAnyOrder("s0", "s1");
        assertThat(started.subList(2, 9)).containsExactly("r0", "r1", "r2", "s2", "s3", "s4", "s5");
        assertThat(registry.get("qudag.resilience.mcp.queued").gauge().value()).isZero();
    }

    @Test
    void inReducedModeAnOptionalToolIsAnsweredWithTheToolErrorWithoutBeingSent() throws Exception {
        client(0);
        policy.setOperatorMode(OperatingMode.REDUCED);

        McpSchema.CallToolResult refused = call("suggest", "x", false, Duration.ofSeconds(20)).get(20, TimeUnit.SECONDS);
        assertThat(refused.isError()).isTrue();
        assertThat(ContinuityTools.isUnavailable(refused)).as("the decorated server's refusal, same shape").isTrue();
        assertThat(((McpSchema.TextContent) refused.content().get(0)).text())
                .isEqualTo(policy.unavailableMessage("suggest"))
                .contains("temporarily unavailable", "REDUCED");
        assertThat(refused.meta()).containsEntry(ContinuityTools.META_MODE, "REDUCED");
        assertThat(received).as("never sent").doesNotContainKey("suggest");
        assertThat(registry.get("qudag.resilience.mcp.continuity.refusals").tag("tool", "suggest").counter().count())
                .isEqualTo(1.0);

        assertThat(call("report", "r", false, Duration.ofSeconds(20)).get(20, TimeUnit.SECONDS).isError())
                .as("critical tools are served").isFalse();
        assertThat(call("summarize", "s", false, Duration.ofSeconds(20)).get(20, TimeUnit.SECONDS).isError())
                .as("REDUCED refuses STANDARD tools too, by default").isTrue();

        policy.clearOperatorMode();
        assertThat(call("suggest", "y", false, Duration.ofSeconds(20)).get(20, TimeUnit.SECONDS).isError())
                .as("FULL serves it again").isFalse();
        assertThat(received.get("suggest")).hasValue(1);
    }

    @Test
    void aCallThatWaitsItsWholeDeadline_failsAsADeadlineWithoutBeingSent() throws Exception {
        client(1);
        CompletableFuture<McpSchema.CallToolResult> holding = call("summarize", "hold", true, Duration.ofSeconds(60));
        await().atMost(Duration.ofSeconds(20)).until(() -> started.size() == 1);

        CompletableFuture<McpSchema.CallToolResult> waiting = call("report", "late", false, Duration.ofMillis(300));
        assertThatThrownBy(() -> waiting.get(20, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(McpDeadlineExceededException.class);
        go.release();
        assertThat(holding.get(20, TimeUnit.SECONDS).isError()).isFalse();
        assertThat(started).as("the expired call was never sent").containsExactly("hold");
        assertThat(registry.get("qudag.resilience.mcp.queued").gauge().value()).isZero();
    }

    @Test
    void aNegativeLimitIsRefusedNamingFieldAndValue() {
        assertThatThrownBy(() -> ResilientMcpClientConfig.builder()
                .endpoint(McpEndpoint.http("a", "http://127.0.0.1:1/mcp").build()).maxConcurrentCalls(-1).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxConcurrentCalls must be 0 (no limit) or positive, was -1");
    }
}
