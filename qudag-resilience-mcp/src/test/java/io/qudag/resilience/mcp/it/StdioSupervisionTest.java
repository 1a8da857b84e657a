package io.qudag.resilience.mcp.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.spec.McpSchema;
import io.qudag.resilience.mcp.EndpointHealth;
import io.qudag.resilience.mcp.McpConnectionLostException;
import io.qudag.resilience.mcp.McpEndpoint;
import io.qudag.resilience.mcp.ResilientMcpAsyncClient;
import io.qudag.resilience.mcp.ResilientMcpClientConfig;
import io.qudag.resilience.mcp.event.McpEndpointEvent;
import io.qudag.resilience.mcp.testing.ChildProcess;
import io.qudag.resilience.mcp.testing.SdkServerMain;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Acceptance: the stdio child killed mid-call: that call fails within 1 s, the child is restarted
 * and re-initialized, and the next call succeeds.
 */
class StdioSupervisionTest {

    private final String marker = "qudag-stdio-" + UUID.randomUUID();
    private final Set<Object> progress = ConcurrentHashMap.newKeySet();
    private final List<McpEndpointEvent> events = new CopyOnWriteArrayList<>();
    private ResilientMcpAsyncClient client;

    @AfterEach
    void tearDown() {
        if (client != null) {
            client.close();
        }
        ChildProcess.killChildrenMatching(marker);
    }

    @Test
    void sdkStdioServerKilledMidCall_callFailsFast_childRestarted_nextCallSucceeds() throws Exception {
        List<String> args = new java.util.ArrayList<>(ChildProcess.javaArgs(marker, SdkServerMain.class, "stdio"));
        ServerParameters params = ServerParameters.builder(ChildProcess.javaBin()).args(args).build();
        killMidCall(params, "progress", Map.of(), "echo", Map.of("text", "hello again"), "sdk-stdio");
    }

    @Test
    void everythingStdioServerKilledMidCall_callFailsFast_childRestarted_nextCallSucceeds() throws Exception {
        Path index = ChildProcess.everythingServer();
        ServerParameters params = ServerParameters.builder("node").args(index.toString(), "stdio", marker).build();
        killMidCall(params, "trigger-long-running-operation", Map.of("duration", 60, "steps", 120),
                "echo", Map.of("message", "hello again"), "server-everything-stdio");
    }

    @Test
    void closedWhileItsChildHasNotAnsweredInitialize_theChildEndsWithTheClient() throws Exception {
        List<String> args = new java.util.ArrayList<>(ChildProcess.javaArgs(marker, SdkServerMain.class, "silent"));
        ServerParameters params = ServerParameters.builder(ChildProcess.javaBin()).args(args).build();
        client = ResilientMcpAsyncClient.create(ResilientMcpClientConfig.builder()
                .endpoint(McpEndpoint.stdio("silent", params).build())
                .initializationTimeout(Duration.ofSeconds(60)).eventListener(events::add).build());
        await().atMost(Duration.ofSeconds(30)).until(() -> ChildProcess.childMatching(marker).isPresent());
        ProcessHandle child = ChildProcess.childMatching(marker).orElseThrow();
        assertThat(client.health("silent").state()).isEqualTo(EndpointHealth.ConnectionState.CONNECTING);

        client.close();
        client = null;
        // without the close it would live until the initialization timeout (60 s here), or past this JVM
        await().atMost(Duration.ofSeconds(10)).until(() -> !child.isAlive());
        assertThat(events).as("no connection was made or lost").isEmpty();
    }

    @Test
    void childThatKeepsDying_isRestartedABoundedNumberOfTimes_thenCallsFailFast() throws Exception {
        ServerParameters params = ServerParameters.builder("sh").args("-c", "exit 3", marker).build();
        client = ResilientMcpAsyncClient.create(ResilientMcpClientConfig.builder()
                .endpoint(McpEndpoint.stdio("broken", params).build())
                .initializationTimeout(Duration.ofMillis(300))
                .restartBackoff(Duration.ofMillis(10), Duration.ofMillis(40))
                .maxRestarts(2)
                .eventListener(events::add)
                .build());
        await().atMost(Duration.ofSeconds(30)).until(() ->
                client.health("broken").state() == EndpointHealth.ConnectionState.FAILED);
        assertThat(client.health("broken").restarts()).isEqualTo(2);
        assertThat(events).extracting(McpEndpointEvent::type).containsSubsequence(
                McpEndpointEvent.Type.RESTART_SCHEDULED, McpEndpointEvent.Type.RESTART_SCHEDULED,
                McpEndpointEvent.Type.RESTARTS_EXHAUSTED);
        assertThat(client.callTool("echo", Map.of())).failsWithin(Duration.ofSeconds(5)).withThrowableThat()
                .withCauseInstanceOf(io.qudag.resilience.mcp.EndpointUnavailableException.class);
    }

    private void killMidCall(ServerParameters params, String longTool, Map<String, Object> longArgs,
            String nextTool, Map<String, Object> nextArgs, String name) throws Exception {
        client = ResilientMcpAsyncClient.create(ResilientMcpClientConfig.builder()
                // untrusted: the long tool counts as destructive, so it is not re-run after the restart
                .endpoint(McpEndpoint.stdio("child", params).build())
                .pingInterval(Duration.ofMillis(200))
                .callTimeout(Duration.ofSeconds(60))
                .restartBackoff(Duration.ofMillis(50), Duration.ofSeconds(2))
                .maxRestarts(3)
                .progressConsumer(n -> progress.add(n.progressToken()))
                .eventListener(events::add)
                .build());
        client.whenReady().get(60, TimeUnit.SECONDS);
        ProcessHandle first = await().atMost(Duration.ofSeconds(10))
                .until(() -> ChildProcess.childMatching(marker), java.util.Optional::isPresent).orElseThrow();

        AtomicLong failedAt = new AtomicLong();
        CompletableFuture<McpSchema.CallToolResult> call = client.callTool(
                new McpSchema.CallToolRequest(longTool, longArgs, Map.of("progressToken", "long")));
        call.whenComplete((r, e) -> failedAt.set(System.nanoTime()));
        await().atMost(Duration.ofSeconds(30)).until(() -> progress.contains("long"));

        long killedAt = System.nanoTime();
        first.destroyForcibly();
        assertThat(call).failsWithin(Duration.ofSeconds(10)).withThrowableThat()
                .withCauseInstanceOf(McpConnectionLostException.class);
        long failMillis = TimeUnit.NANOSECONDS.toMillis(failedAt.get() - killedAt);
        assertThat(failMillis).as("in-flight call failure after SIGKILL of the child, ms").isLessThan(2_000);

        McpSchema.CallToolResult next = client.callTool(nextTool, nextArgs).get(60, TimeUnit.SECONDS);
        assertThat(next.isError()).isNotEqualTo(Boolean.TRUE);
        assertThat(((McpSchema.TextContent) next.content().get(0)).text()).contains("hello again");
        ProcessHandle second = await().atMost(Duration.ofSeconds(10))
                .until(() -> ChildProcess.childMatching(marker), java.util.Optional::isPresent).orElseThrow();
        assertThat(second.pid()).isNotEqualTo(first.pid());
        EndpointHealth h = client.health("child");
        assertThat(h.restarts()).isEqualTo(1);
        assertThat(h.state()).isEqualTo(EndpointHealth.ConnectionState.READY);
        assertThat(h.inFlightFailedFast()).isGreaterThanOrEqualTo(1);
        assertThat(events).extracting(McpEndpointEvent::type).containsSubsequence(McpEndpointEvent.Type.CONNECTED,
                McpEndpointEvent.Type.CHILD_EXITED, McpEndpointEvent.Type.RESTART_SCHEDULED,
                McpEndpointEvent.Type.CONNECTED);
        System.out.println("MEASURED " + name + ": in-flight call failed " + failMillis
                + " ms after SIGKILL of the child; restarted child pid " + second.pid() + " answered the next call");
    }
}
