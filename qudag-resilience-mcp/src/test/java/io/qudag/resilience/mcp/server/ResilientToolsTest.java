package io.qudag.resilience.mcp.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.server.McpServerFeatures.AsyncToolSpecification;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.qudag.resilience.core.bulkhead.IsolationBulkheadsConfig;
import io.qudag.resilience.core.bulkhead.IsolationClass;
import io.qudag.resilience.mcp.testing.SdkHttpServer;
import io.qudag.resilience.mcp.testing.TestTools;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * Acceptance: a decorated server tool under bulkhead saturation answers with a well-formed rejection
 * while another tool keeps answering.
 */
class ResilientToolsTest {

    private final TestTools tools = new TestTools();
    private final io.micrometer.core.instrument.simple.SimpleMeterRegistry registry =
            new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    private final CountDownLatch asyncRelease = new CountDownLatch(1);
    private final AtomicInteger asyncStarted = new AtomicInteger();
    private ResilientTools resilient;
    private SdkHttpServer server;
    private McpAsyncClient client;

    @AfterEach
    void tearDown() {
        tools.release.countDown();
        asyncRelease.countDown();
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
        if (resilient != null) {
            resilient.close();
        }
    }

    private void start(ResilientToolsConfig.Builder config) throws Exception {
        resilient = ResilientTools.create(config
                .bulkheads(IsolationBulkheadsConfig.builder().maxConcurrentCalls(IsolationClass.USER, 1)
                        .maxConcurrentCalls(IsolationClass.BACKGROUND, 1).build())
                .isolationClass("echo", IsolationClass.CRITICAL)
                .isolationClass("slow_async", IsolationClass.BACKGROUND)
                .build());
        List<SyncToolSpecification> specs = new ArrayList<>(resilient.decorateAll(tools.specs()));
        server = SdkHttpServer.start(0, specs);
        AsyncToolSpecification slowAsync = new AsyncToolSpecification(
                McpSchema.Tool.builder("slow_async", Map.of("type", "object")).build(),
                (ex, req) -> Mono.fromCallable(() -> {
                    asyncStarted.incrementAndGet();
                    asyncRelease.await(30, TimeUnit.SECONDS);
                    return McpSchema.CallToolResult.builder().addTextContent("async done").isError(false).build();
                }).subscribeOn(reactor.core.scheduler.Schedulers.boundedElastic()));
        server.server().getAsyncServer().addTool(resilient.decorate(slowAsync)).block(Duration.ofSeconds(5));
        client = McpClient.async(HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + server.port())
                .endpoint("/mcp").build()).requestTimeout(Duration.ofSeconds(20)).build();
        client.initialize().block(Duration.ofSeconds(20));
    }

    private McpSchema.CallToolResult call(String tool, Map<String, Object> args) {
        return client.callTool(McpSchema.CallToolRequest.builder(tool)
                .arguments(args).build()).block(Duration.ofSeconds(20));
    }

    private static String text(McpSchema.CallToolResult r) {
        return ((McpSchema.TextContent) r.content().get(0)).text();
    }

    @Test
    void saturatedBulkhead_answersWithToolErrorResult_otherToolsKeepAnswering() throws Exception {
        start(ResilientToolsConfig.builder("test-server").meterRegistry(registry));
        CompletableFuture<McpSchema.CallToolResult> holder =
                client.callTool(McpSchema.CallToolRequest.builder("read")
                .arguments(Map.of("block", true)).build()).toFuture();
        await().atMost(Duration.ofSeconds(20)).until(() -> tools.started.get() == 1);

        McpSchema.CallToolResult refused = call("read", Map.of("block", true));
        assertThat(refused.isError()).isTrue();
        assertThat(text(refused)).contains("Tool 'read' rejected").contains("bulkhead").contains("retry later");
        assertThat(refused.meta()).containsEntry("reason", "rejected").containsKey("io.qudag.resilience/rejectedBy");
        assertThat(ResilientTools.isRejection(refused)).isTrue();
        assertThat(tools.readCount).as("the refused call never reached the handler").hasValue(1);
        assertThat(registry.get("qudag.resilience.mcp.server.refusals").tags("server", "test-server", "tool", "read",
                "reason", "rejected").counter().count()).isEqualTo(1.0);

        McpSchema.CallToolResult other = call("echo", Map.of("text", "still here"));
        assertThat(other.isError()).isFalse();
        assertThat(text(other)).isEqualTo("still here");

        tools.release.countDown();
        assertThat(holder.get(20, TimeUnit.SECONDS).isError()).isFalse();
        assertThat(call("read", Map.of()).isError()).as("the bulkhead is free again").isFalse();
    }

    @Test
    void saturatedBulkhead_canAnswerWithJsonRpcError() throws Exception {
        start(ResilientToolsConfig.builder("test-server").rejectionMode(RejectionMode.JSON_RPC_ERROR));
        client.callTool(McpSchema.CallToolRequest.builder("read").arguments(Map.of("block", true)).build()).toFuture();
        await().atMost(Duration.ofSeconds(20)).until(() -> tools.started.get() == 1);

        assertThatThrownBy(() -> callOverPossiblyStaleConnection("read", Map.of()))
                .isInstanceOfSatisfying(McpError.class, e -> {
                    assertThat(e.getJsonRpcError().code()).isEqualTo(McpSchema.ErrorCodes.INTERNAL_ERROR);
                    assertThat(e.getJsonRpcError().message()).contains("rejected").contains("bulkhead");
                });
        assertThat(text(callOverPossiblyStaleConnection("echo", Map.of("text", "ok")))).isEqualTo("ok");
    }

    /**
     * MCP SDK 2.1.0 on Tomcat 11 sometimes closes the pooled HTTP connection after a JSON-RPC error
     * answer; the bare SDK client's next POST on it then fails with "header parser received no bytes"
     * before reaching the server (docs/mcp-sdk-notes.md); it hit the first call after the blocked one
     * too (1 run in 4 on the loaded CI machine). Only that transport failure is tried again, once: the
     * server must still answer.
     */
    private McpSchema.CallToolResult callOverPossiblyStaleConnection(String tool, Map<String, Object> args) {
        try {
            return call(tool, args);
        } catch (RuntimeException e) {
            java.io.IOException stale = io.qudag.resilience.core.Outcomes.findCause(e, java.io.IOException.class);
            if (stale == null || stale.getMessage() == null
                    || !stale.getMessage().contains("header parser received no bytes")) {
                throw e;
            }
            return call(tool, args);
        }
    }

    @Test
    void timeLimit_answersWithAClearToolError() throws Exception {
        start(ResilientToolsConfig.builder("test-server").timeLimit(IsolationClass.USER, Duration.ofMillis(200)));
        McpSchema.CallToolResult r = call("sleep", Map.of("ms", 10_000));
        assertThat(r.isError()).isTrue();
        assertThat(text(r)).contains("Tool 'sleep' timed out");
        assertThat(text(call("echo", Map.of("text", "ok")))).isEqualTo("ok");
    }

    @Test
    void asyncToolSpecification_isDecoratedToo() throws Exception {
        start(ResilientToolsConfig.builder("test-server"));
        CompletableFuture<McpSchema.CallToolResult> holder =
                client.callTool(McpSchema.CallToolRequest.builder("slow_async").arguments(Map.of()).build()).toFuture();
        await().atMost(Duration.ofSeconds(20)).until(() -> asyncStarted.get() == 1);
        McpSchema.CallToolResult refused = call("slow_async", Map.of());
        assertThat(ResilientTools.isRejection(refused)).isTrue();
        assertThat(asyncStarted).hasValue(1);
        asyncRelease.countDown();
        assertThat(text(holder.get(20, TimeUnit.SECONDS))).isEqualTo("async done");
    }

    @Test
    void configValidationNamesFieldAndValue() {
        assertThatThrownBy(() -> ResilientToolsConfig.builder(" ").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name");
        assertThatThrownBy(() -> ResilientToolsConfig.builder("s").timeLimit(IsolationClass.USER, Duration.ZERO).build())
                .hasMessage("timeLimit.USER must be > 0, was PT0S");
        assertThatThrownBy(() -> ResilientToolsConfig.builder("s").rejectionErrorCode(5).build())
                .hasMessage("rejectionErrorCode must be a negative JSON-RPC code, was 5");
    }
}
