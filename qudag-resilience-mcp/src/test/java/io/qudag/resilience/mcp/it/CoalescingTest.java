package io.qudag.resilience.mcp.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.modelcontextprotocol.spec.McpSchema;
import io.qudag.resilience.mcp.McpEndpoint;
import io.qudag.resilience.mcp.ResilientMcpAsyncClient;
import io.qudag.resilience.mcp.ResilientMcpClientConfig;
import io.qudag.resilience.mcp.testing.SdkHttpServer;
import io.qudag.resilience.mcp.testing.TestTools;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Identical in-flight read-only calls share one request to a real SDK server; other calls never do. */
class CoalescingTest {

    private static final Map<String, Object> BLOCKING = Map.of("block", true);

    private final TestTools tools = new TestTools();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private SdkHttpServer server;
    private ResilientMcpAsyncClient client;

    @AfterEach
    void tearDown() {
        tools.release.countDown();
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private void start(boolean coalesce) throws Exception {
        server = SdkHttpServer.start(0, tools.specs());
        client = ResilientMcpAsyncClient.create(ResilientMcpClientConfig.builder()
                .endpoint(McpEndpoint.http("a", server.url()).trusted(true).build())
                .coalesceReadOnlyCalls(coalesce)
                .callTimeout(Duration.ofSeconds(30))
                .meterRegistry(registry)
                .build());
        client.whenReady().get(30, TimeUnit.SECONDS);
    }

    private static String text(McpSchema.CallToolResult r) {
        return ((McpSchema.TextContent) r.content().get(0)).text();
    }

    private double coalesced(String tool) {
        var c = registry.find("qudag.resilience.mcp.coalesced").tag("tool", tool).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void fiftyIdenticalReadOnlyCalls_reachTheServerOnce_andAllGetTheAnswer() throws Exception {
        start(true);
        List<CompletableFuture<McpSchema.CallToolResult>> calls = new ArrayList<>();
        calls.add(client.callTool("read", BLOCKING));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(tools.readCount).hasValue(1));
        List<Thread> threads = new ArrayList<>();
        List<CompletableFuture<McpSchema.CallToolResult>> joined = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 49; i++) {
            Thread t = new Thread(() -> joined.add(client.callTool("read", Map.of("block", true))));
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join(20_000);
        }
        calls.addAll(joined);
        assertThat(calls).hasSize(50);
        assertThat(coalesced("read")).isEqualTo(49.0);
        assertThat(calls).noneMatch(CompletableFuture::isDone);
        tools.release.countDown();
        for (CompletableFuture<McpSchema.CallToolResult> f : calls) {
            assertThat(text(f.get(20, TimeUnit.SECONDS))).isEqualTo("read 1");
        }
        assertThat(tools.readCount).as("the server's handler ran once").hasValue(1);
        // once answered, the next identical call is a new request
        assertThat(text(client.callTool("read", BLOCKING).get(20, TimeUnit.SECONDS))).isEqualTo("read 2");
    }

    @Test
    void identicalDestructiveCalls_allReachTheServer() throws Exception {
        start(true);
        List<CompletableFuture<McpSchema.CallToolResult>> calls = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            calls.add(client.callTool("destroy", Map.of("id", "x", "block", true)));
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(tools.destroyCount).hasValue(5));
        tools.release.countDown();
        for (CompletableFuture<McpSchema.CallToolResult> f : calls) {
            assertThat(text(f.get(20, TimeUnit.SECONDS))).isEqualTo("destroyed");
        }
        assertThat(tools.destroyCount).hasValue(5);
        assertThat(coalesced("destroy")).isZero();
    }

    @Test
    void aCallerThatCancels_leavesTheSharedRequestAndTheOthersServed() throws Exception {
        start(true);
        CompletableFuture<McpSchema.CallToolResult> first = client.callTool("read", BLOCKING);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(tools.readCount).hasValue(1));
        CompletableFuture<McpSchema.CallToolResult> second = client.callTool("read", BLOCKING);
        CompletableFuture<McpSchema.CallToolResult> third = client.callTool("read", BLOCKING);
        assertThat(first.cancel(true)).isTrue();
        assertThat(second.cancel(true)).isTrue();
        tools.release.countDown();
        assertThat(text(third.get(20, TimeUnit.SECONDS))).isEqualTo("read 1");
        assertThat(first).isCancelled();
        assertThat(tools.readCount).hasValue(1);
        assertThat(coalesced("read")).isEqualTo(2.0);
    }

    @Test
    void callsWithMeta_orWithCoalescingOff_areSentEachOnTheirOwn() throws Exception {
        start(true);
        CompletableFuture<McpSchema.CallToolResult> p1 = client.callTool(McpSchema.CallToolRequest.builder("read")
                .arguments(BLOCKING).meta(Map.of("progressToken", "t1")).build());
        CompletableFuture<McpSchema.CallToolResult> p2 = client.callTool(McpSchema.CallToolRequest.builder("read")
                .arguments(BLOCKING).meta(Map.of("progressToken", "t1")).build());
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(tools.readCount).hasValue(2));
        tools.release.countDown();
        p1.get(20, TimeUnit.SECONDS);
        p2.get(20, TimeUnit.SECONDS);
        assertThat(coalesced("read")).isZero();
    }

    @Test
    void coalescingIsOffByDefault() throws Exception {
        assertThat(ResilientMcpClientConfig.builder().endpoint(McpEndpoint.http("a", "http://127.0.0.1:1/mcp").build())
                .build().coalesceReadOnlyCalls()).isFalse();
        start(false);
        CompletableFuture<McpSchema.CallToolResult> r1 = client.callTool("read", BLOCKING);
        CompletableFuture<McpSchema.CallToolResult> r2 = client.callTool("read", BLOCKING);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(tools.readCount).hasValue(2));
        tools.release.countDown();
        r1.get(20, TimeUnit.SECONDS);
        r2.get(20, TimeUnit.SECONDS);
        assertThat(coalesced("read")).isZero();
    }
}
