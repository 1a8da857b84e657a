package io.qudag.resilience.mcp.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import io.qudag.resilience.mcp.EndpointHealth;
import io.qudag.resilience.core.CallOutcome;
import io.qudag.resilience.mcp.McpOutcomes;
import io.qudag.resilience.mcp.McpConnectionLostException;
import io.qudag.resilience.mcp.McpEndpoint;
import io.qudag.resilience.mcp.ResilientMcpAsyncClient;
import io.qudag.resilience.mcp.ResilientMcpClientConfig;
import io.qudag.resilience.mcp.testing.ChildProcess;
import io.qudag.resilience.mcp.testing.SdkServerMain;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Acceptance: SIGKILL of an HTTP server with 8 calls in flight whose answers stream over SSE. All 8
 * fail within 1 s with the resilient client; the bare SDK client waits for its request timeout.
 */
class HttpServerKillTest {

    private static final int CALLS = 8;
    private static final Duration BARE_TIMEOUT = Duration.ofSeconds(5);

    private ChildProcess child;
    private ResilientMcpAsyncClient client;
    private McpAsyncClient bare;
    private final Set<Object> progressTokens = ConcurrentHashMap.newKeySet();

    @AfterEach
    void tearDown() throws Exception {
        if (child != null) {
            child.close();
        }
        if (client != null) {
            client.close();
        }
        if (bare != null) {
            bare.close();
        }
    }

    @Test
    void sdkServerToolSendingProgress_allEightInFlightCallsFailFast() throws Exception {
        child = ChildProcess.java(SdkServerMain.class, "http");
        String line = child.awaitLine(l -> l.startsWith("PORT "), Duration.ofSeconds(60));
        int port = Integer.parseInt(line.substring(5).trim());
        Result r = killWithCallsInFlight(port, "progress", Map.of());
        report("sdk-server", r);
    }

    @Test
    void everythingServerLongRunningTool_allEightInFlightCallsFailFast() throws Exception {
        Path index = ChildProcess.everythingServer();
        int port = ChildProcess.freePort();
        child = ChildProcess.node(Map.of("PORT", String.valueOf(port)), index.toString(), "streamableHttp");
        child.awaitLine(l -> l.contains("listening"), Duration.ofSeconds(60));
        Result r = killWithCallsInFlight(port, "trigger-long-running-operation", Map.of("duration", 60, "steps", 120));
        report("server-everything", r);
    }

    private record Result(long[] resilientMillis, long bareMillis) {
    }

    private Result killWithCallsInFlight(int port, String tool, Map<String, Object> args) throws Exception {
        String url = "http://127.0.0.1:" + port + "/mcp";
        client = ResilientMcpAsyncClient.create(ResilientMcpClientConfig.builder()
                .endpoint(McpEndpoint.http("server", url).trusted(true).build())
                .pingInterval(Duration.ofMillis(100))
                .callTimeout(Duration.ofSeconds(60))
                .sdkRequestTimeout(Duration.ofSeconds(120))
                .progressConsumer(n -> progressTokens.add(n.progressToken()))
                .build());
        client.whenReady().get(30, TimeUnit.SECONDS);
        bare = McpClient.async(HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + port).endpoint("/mcp")
                        .build())
                .requestTimeout(BARE_TIMEOUT)
                .progressConsumer(n -> {
                    progressTokens.add(n.progressToken());
                    return reactor.core.publisher.Mono.empty();
                })
                .build();
        bare.initialize().block(Duration.ofSeconds(30));

        List<CompletableFuture<McpSchema.CallToolResult>> calls = new ArrayList<>();
        List<AtomicLong> doneAt = new ArrayList<>();
        for (int i = 0; i < CALLS; i++) {
            AtomicLong at = new AtomicLong();
            doneAt.add(at);
            CompletableFuture<McpSchema.CallToolResult> f = client.callTool(
                    new McpSchema.CallToolRequest(tool, args, Map.of("progressToken", "r" + i)));
            f.whenComplete((res, err) -> at.set(System.nanoTime()));
            calls.add(f);
        }
        AtomicLong bareDone = new AtomicLong();
        CompletableFuture<McpSchema.CallToolResult> bareCall = bare.callTool(
                new McpSchema.CallToolRequest(tool, args, Map.of("progressToken", "bare"))).toFuture();
        bareCall.whenComplete((res, err) -> bareDone.set(System.nanoTime()));

        // every call is streaming (its progress arrived over SSE) before the kill
        await().atMost(Duration.ofSeconds(60)).until(() -> progressTokens.size() >= CALLS + 1);
        long killedAt = System.nanoTime();
        child.kill();

        long[] millis = new long[CALLS];
        for (int i = 0; i < CALLS; i++) {
            CompletableFuture<McpSchema.CallToolResult> f = calls.get(i);
            assertThat(f).failsWithin(Duration.ofSeconds(10)).withThrowableThat()
                    .satisfies(e -> {
                        assertThat(McpOutcomes.classifier().classify(null, e.getCause()))
                                .as("outcome of %s", e.getCause()).isEqualTo(CallOutcome.TRANSPORT_ERROR);
                        // the calls were streaming: never "not sent"
                        assertThat(e.getCause()).isInstanceOfSatisfying(McpConnectionLostException.class,
                                lost -> assertThat(lost.delivery())
                                        .isEqualTo(McpConnectionLostException.Delivery.UNKNOWN));
                    });
            millis[i] = TimeUnit.NANOSECONDS.toMillis(doneAt.get(i).get() - killedAt);
        }
        assertThat(bareCall).failsWithin(BARE_TIMEOUT.plusSeconds(10));
        long bareMillis = TimeUnit.NANOSECONDS.toMillis(bareDone.get() - killedAt);

        long worst = java.util.Arrays.stream(millis).max().orElseThrow();
        // Functional requirement: within 1 s; the check is generous because the machine is shared.
        assertThat(worst).as("slowest of %d in-flight calls after SIGKILL, ms", CALLS).isLessThan(2_000);
        assertThat(bareMillis).as("bare SDK client wait after SIGKILL, ms").isGreaterThan(Math.max(2_000, 3 * worst));
        EndpointHealth h = client.health("server");
        assertThat(h.inFlightFailedFast()).isGreaterThanOrEqualTo(CALLS);
        return new Result(millis, bareMillis);
    }

    private static void report(String name, Result r) {
        System.out.println("MEASURED " + name + ": resilient in-flight failures after SIGKILL (ms) "
                + java.util.Arrays.toString(r.resilientMillis) + "; bare SDK client (requestTimeout "
                + BARE_TIMEOUT.toSeconds() + " s) waited " + r.bareMillis + " ms");
    }
}
