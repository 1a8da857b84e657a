package io.qudag.resilience.mcp.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.modelcontextprotocol.spec.McpSchema;
import io.qudag.resilience.core.ToolHints;
import io.qudag.resilience.mcp.EndpointUnavailableException;
import io.qudag.resilience.mcp.McpDeadlineExceededException;
import io.qudag.resilience.mcp.McpEndpoint;
import io.qudag.resilience.mcp.ResilientMcpClient;
import io.qudag.resilience.mcp.ResilientMcpClientConfig;
import io.qudag.resilience.mcp.internal.DefaultResilientMcpClient;
import io.qudag.resilience.mcp.testing.ChildProcess;
import io.qudag.resilience.mcp.testing.SdkHttpServer;
import io.qudag.resilience.mcp.testing.TestTools;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Per-call deadlines, hedging, failover across an endpoint group, ping health and argument-free logs. */
class ClientBehaviourTest {

    private final TestTools toolsA = new TestTools();
    private final TestTools toolsB = new TestTools();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private SdkHttpServer a;
    private SdkHttpServer b;
    private ResilientMcpClient client;

    @AfterEach
    void tearDown() {
        toolsA.release.countDown();
        toolsB.release.countDown();
        if (client != null) {
            client.close();
        }
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
    }

    @Test
    void callAbandonedAtItsOwnDeadline_failsTyped_beforeTheSdkTimeout_andTheClientStaysUsable() throws Exception {
        a = SdkHttpServer.start(0, toolsA.specs());
        client = ResilientMcpClient.create(ResilientMcpClientConfig.builder()
                .endpoint(McpEndpoint.http("a", a.url()).trusted(true).build())
                .sdkRequestTimeout(Duration.ofMinutes(5)).build());
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> client.callTool(McpSchema.CallToolRequest.builder("sleep")
                .arguments(Map.of("ms", 20_000)).build(), Duration.ofMillis(300)))
                .isInstanceOfSatisfying(McpDeadlineExceededException.class,
                        e -> assertThat(e.deadline()).isEqualTo(Duration.ofMillis(300)));
        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertThat(millis).isLessThan(5_000);
        assertThat(toolsA.started).as("the deadline covers retries too: sent once").hasValue(1);
        assertThat(client.callTool("echo", Map.of("text", "after")).content()).hasSize(1);
        System.out.println("MEASURED deadline 300 ms: call failed after " + millis + " ms (SDK request timeout 5 min)");
    }

    @Test
    void hedgedReadOnlyCall_isAnsweredByTheFastEndpoint_andTheLoserIsCancelled() throws Exception {
        a = SdkHttpServer.start(0, toolsA.specs());
        b = SdkHttpServer.start(0, toolsB.specs());
        toolsA.slowReads = true;
        client = ResilientMcpClient.create(ResilientMcpClientConfig.builder()
                .endpoint(McpEndpoint.http("a", a.url()).trusted(true).build())
                .endpoint(McpEndpoint.http("b", b.url()).trusted(true).build())
                .hedging(Duration.ofMillis(100), 1)
                .meterRegistry(registry)
                .build());
        client.async().whenReady().get();

        McpSchema.CallToolResult r = client.callTool("read", Map.of());
        assertThat(((McpSchema.TextContent) r.content().get(0)).text()).isEqualTo("read 1");
        assertThat(toolsB.readCount).hasValue(1);
        assertThat(toolsA.readCount).as("the primary got the call first").hasValue(1);
        // the loser's request was completed locally (and notifications/cancelled sent)
        await().atMost(Duration.ofSeconds(10)).until(() ->
                registry.get("qudag.resilience.mcp.inflight").tag("endpoint", "a").gauge().value() == 0.0);

        // a destructive tool is never hedged
        client.callTool("destroy", Map.of());
        assertThat(toolsA.destroyCount).hasValue(1);
        assertThat(toolsB.destroyCount).hasValue(0);
    }

    @Test
    void adaptiveHedging_waitsForTheToolsUsualLatency_andStillRescuesAStuckCall() throws Exception {
        a = SdkHttpServer.start(0, toolsA.specs());
        b = SdkHttpServer.start(0, toolsB.specs());
        toolsB.serverName = "b";
        client = ResilientMcpClient.create(ResilientMcpClientConfig.builder()
                .endpoint(McpEndpoint.http("a", a.url()).trusted(true).build())
                .endpoint(McpEndpoint.http("b", b.url()).trusted(true).build())
                .adaptiveHedging(Duration.ofMillis(20), 1)
                .meterRegistry(registry)
                .build());
        client.async().whenReady().get();

        // a 150 ms tool: a fixed 20 ms delay would hedge every call; the adaptive one waits for its p95
        int calls = 20;
        for (int i = 0; i < calls; i++) {
            client.callTool("sleep", Map.of("ms", 150));
        }
        double hedges = registry.get("qudag.resilience.mcp.retry.budget.spent").tag("kind", "hedge").counter().count();
        System.out.println("MEASURED adaptive hedging: " + hedges + " hedges for " + calls + " calls of a 150 ms tool"
                + " (a fixed 20 ms delay hedges all of them)");
        assertThat(hedges).as("hedges of %d calls of a 150 ms tool", calls).isLessThan(calls / 2.0);

        // a call stuck on a is rescued by the hedge to b
        toolsA.slowReads = true;
        McpSchema.CallToolResult r = client.callTool("read", Map.of());
        assertThat(((McpSchema.TextContent) r.content().get(0)).text()).isEqualTo("read 1 from b");
    }

    @Test
    void aReadOnlyToolIsNotHedgedOntoAnUntrustedEndpoint_whoseHintsCountAsUntrusted() throws Exception {
        a = SdkHttpServer.start(0, toolsA.specs());
        b = SdkHttpServer.start(0, toolsB.specs());
        client = ResilientMcpClient.create(ResilientMcpClientConfig.builder()
                .endpoint(McpEndpoint.http("a", a.url()).trusted(true).build())
                .endpoint(McpEndpoint.http("b", b.url()).build()) // untrusted: its annotations are not honoured
                .hedging(Duration.ofMillis(100), 1)
                .build());
        client.async().whenReady().get();
        McpSchema.CallToolResult r = client.callTool("sleep", Map.of("ms", 400));
        assertThat(((McpSchema.TextContent) r.content().get(0)).text()).isEqualTo("slept");
        assertThat(toolsA.started).hasValue(1);
        assertThat(toolsB.started).as("not repeated on a server whose hints are not trusted").hasValue(0);
        assertThat(ToolHints.READ_ONLY.and(ToolHints.UNTRUSTED)).isEqualTo(ToolHints.UNTRUSTED);
        assertThat(ToolHints.READ_ONLY.and(ToolHints.IDEMPOTENT).safeToRepeat()).isTrue();
    }

    @Test
    void aCallEndedByTheSdksOwnTimeout_isNoLongerCountedInFlight() throws Exception {
        a = SdkHttpServer.start(0, toolsA.specs());
        client = ResilientMcpClient.create(ResilientMcpClientConfig.builder()
                .endpoint(McpEndpoint.http("a", a.url()).trusted(true).build())
                .sdkRequestTimeout(Duration.ofMillis(300)).callTimeout(Duration.ofSeconds(10))
                .meterRegistry(registry).build());
        assertThatThrownBy(() -> client.callTool(McpSchema.CallToolRequest.builder("sleep")
                .arguments(Map.of("ms", 3_000)).build(), Duration.ofSeconds(10))).isInstanceOf(RuntimeException.class);
        // the SDK gave up on the request: nothing is pending any more (the bookkeeping runs as the call ends)
        await().atMost(Duration.ofSeconds(5)).until(() ->
                registry.get("qudag.resilience.mcp.inflight").tag("endpoint", "a").gauge().value() == 0.0);
    }

    @Test
    void createWithNoEndpointReadyInTime_failsNamingTheEndpointsAndTheTimeout() throws Exception {
        int deadPort = ChildProcess.freePort();
        assertThatThrownBy(() -> ResilientMcpClient.create(ResilientMcpClientConfig.builder()
                .endpoint(McpEndpoint.http("dead", "http://127.0.0.1:" + deadPort + "/mcp").build())
                .initializationTimeout(Duration.ofMillis(300)).build()))
                .isInstanceOf(io.qudag.resilience.failover.NoEndpointAvailableException.class)
                .hasMessageContaining("[dead]").hasMessageContaining("PT0.3S");
    }

    @Test
    void endpointGroup_failsOverSafeCallsAndNotConnectedEndpoints() throws Exception {
        b = SdkHttpServer.start(0, toolsB.specs());
        int deadPort = ChildProcess.freePort();
        client = ResilientMcpClient.create(ResilientMcpClientConfig.builder()
                .endpoint(McpEndpoint.http("dead", "http://127.0.0.1:" + deadPort + "/mcp").trusted(true).build())
                .endpoint(McpEndpoint.http("live", b.url()).trusted(true).build())
                .build());
        // the dead primary never connected: even a destructive call was not sent there, so it moves on
        assertThat(client.callTool("destroy", Map.of()).isError()).isFalse();
        assertThat(client.callTool("read", Map.of()).isError()).isFalse();
        assertThat(toolsB.destroyCount).hasValue(1);
        assertThat(client.health("live").successes()).isEqualTo(2);
        assertThat(client.health("dead").state()).isNotEqualTo(io.qudag.resilience.mcp.EndpointHealth.ConnectionState.READY);
        assertThat(new EndpointUnavailableException("x", "CONNECTING")).hasMessageContaining("was not sent");
    }

    @Test
    void pingsFeedTheHealthSignal() throws Exception {
        a = SdkHttpServer.start(0, toolsA.specs());
        client = ResilientMcpClient.create(ResilientMcpClientConfig.builder()
                .endpoint(McpEndpoint.http("a", a.url()).build()).pingInterval(Duration.ofMillis(50))
                .meterRegistry(registry).build());
        await().atMost(Duration.ofSeconds(10)).until(() -> client.health("a").lastPingMillis() >= 0);
        assertThat(registry.get("qudag.resilience.mcp.ping.latency").tag("endpoint", "a").gauge().value())
                .isGreaterThanOrEqualTo(0.0);
        assertThat(client.health("a").failedPings()).isZero();
        client.callTool("echo", Map.of("text", "x"));
        io.qudag.resilience.core.health.HealthScore score = client.health("a").score();
        assertThat(score.hasData()).isTrue();
        assertThat(score.indicatorValues()).containsKeys("response_time", "error_rate", "connection_success_rate");
        assertThat(score.indicatorValues().get("error_rate")).isZero();
        assertThat(score.grade()).isNotNull();
    }

    @Test
    void toolListChanged_refreshesTheHintsCache() throws Exception {
        a = SdkHttpServer.start(0, toolsA.specs());
        client = ResilientMcpClient.create(ResilientMcpClientConfig.builder()
                .endpoint(McpEndpoint.http("a", a.url()).trusted(true).build()).build());
        assertThat(client.toolHints("late")).isEqualTo(io.qudag.resilience.core.ToolHints.UNTRUSTED);
        a.server().addTool(new io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification(
                McpSchema.Tool.builder("late", Map.of("type", "object"))
                        .annotations(McpSchema.ToolAnnotations.builder().readOnlyHint(true).idempotentHint(true)
                                .destructiveHint(false).openWorldHint(false).build()).build(),
                (ex, req) -> McpSchema.CallToolResult.builder().addTextContent("late").isError(false).build()));
        a.server().notifyToolsListChanged();
        await().atMost(Duration.ofSeconds(10)).until(() -> client.toolHints("late").readOnly());
        assertThat(client.toolHints("late")).isEqualTo(new io.qudag.resilience.core.ToolHints(true, false, true, false));
    }

    @Test
    void logsNeverPrintArgumentsUnlessEnabled() throws Exception {
        a = SdkHttpServer.start(0, toolsA.specs());
        Logger logger = (Logger) LoggerFactory.getLogger(DefaultResilientMcpClient.class);
        Level before = logger.getLevel();
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        logger.setLevel(Level.DEBUG);
        try {
            for (boolean enabled : new boolean[] {false, true}) {
                appender.list.clear();
                try (ResilientMcpClient c = ResilientMcpClient.create(ResilientMcpClientConfig.builder()
                        .endpoint(McpEndpoint.http("a", a.url()).build()).logArguments(enabled).build())) {
                    c.callTool("echo", Map.of("text", "hunter2-secret"));
                }
                assertThat(appender.list).isNotEmpty();
                boolean printed = appender.list.stream().anyMatch(e -> e.getFormattedMessage().contains("hunter2-secret"));
                assertThat(printed).as("arguments printed with logArguments=%s", enabled).isEqualTo(enabled);
            }
        } finally {
            logger.detachAppender(appender);
            logger.setLevel(before);
        }
    }
}
