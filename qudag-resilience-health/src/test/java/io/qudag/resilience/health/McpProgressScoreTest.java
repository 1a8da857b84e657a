package io.qudag.resilience.health;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.modelcontextprotocol.spec.McpSchema;
import io.qudag.resilience.health.source.MicrometerSources;
import io.qudag.resilience.health.spi.MetricSource;
import io.qudag.resilience.mcp.McpEndpoint;
import io.qudag.resilience.mcp.ResilientMcpClient;
import io.qudag.resilience.mcp.ResilientMcpClientConfig;
import io.qudag.resilience.mcp.testing.SdkHttpServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Tool time is not server latency when a tool says it is slow by design: a real MCP server's 2 s tool
 * that reports progress every 100 ms leaves the health score where it was, read from the client's meters
 * by the default wiring; the same 2 s without a progress token raises a response-time alert and lowers
 * the score. No log line prints NaN.
 */
class McpProgressScoreTest {

    private final MutableClock clock = new MutableClock();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final McpTools tools = new McpTools("server", 10);
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger qudagLogger = (Logger) LoggerFactory.getLogger("io.qudag");
    private Level previousLevel;
    private SdkHttpServer server;
    private ResilientMcpClient progressing;
    private ResilientMcpClient silent;
    private HealthMonitoringSystem health;

    @BeforeEach
    void captureLogs() {
        previousLevel = qudagLogger.getLevel();
        qudagLogger.setLevel(Level.DEBUG);
        logs.start();
        qudagLogger.addAppender(logs);
    }

    @AfterEach
    void tearDown() throws Exception {
        qudagLogger.detachAppender(logs);
        qudagLogger.setLevel(previousLevel);
        if (health != null) {
            health.close();
        }
        if (progressing != null) {
            progressing.close();
        }
        if (silent != null) {
            silent.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private ResilientMcpClient client(String endpoint) {
        return ResilientMcpClient.create(ResilientMcpClientConfig.builder()
                .endpoint(McpEndpoint.http(endpoint, server.url()).trusted(true).build())
                .meterRegistry(registry).build());
    }

    /** {@code n} quick calls per client at once. */
    private void calls(int n) throws Exception {
        List<CompletableFuture<?>> calls = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            calls.add(progressing.async().callTool(McpSchema.CallToolRequest.builder("work")
                    .arguments(Map.of()).build()));
            calls.add(silent.async().callTool(McpSchema.CallToolRequest.builder("work").arguments(Map.of()).build()));
        }
        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    }

    /** Three quick calls per client, then one second passes and health reads the meters. */
    private void quickRound() throws Exception {
        calls(3);
        clock.advance(Duration.ofSeconds(1));
        health.collect();
    }

    @Test
    void aTwoSecondToolReportingProgress_leavesTheScore_theSameTwoSecondsWithoutProgressDoNot() throws Exception {
        server = SdkHttpServer.start(0, tools.specs());
        progressing = client("progressing");
        silent = client("silent");
        progressing.async().whenReady().get(30, TimeUnit.SECONDS);
        silent.async().whenReady().get(30, TimeUnit.SECONDS);
        for (int i = 0; i < 4; i++) { // a cold JVM's first calls are no steady state
            calls(5);
        }
        health = HealthMonitoringSystem.builder().clock(clock).build();
        for (String endpoint : List.of("progressing", "silent")) {
            for (MetricSource source : List.of(MicrometerSources.successRate(registry, endpoint),
                    MicrometerSources.responseTimeP95(registry, endpoint))) {
                source.sample(); // the warm-up's calls are read and dropped
                health.addSource(endpoint, source);
            }
        }
        for (int i = 0; i < 5; i++) {
            quickRound();
        }
        double progressingBefore = health.health("progressing").score().getAsDouble();
        double silentBefore = health.health("silent").score().getAsDouble();

        // the same 2 s tool on both, at the same time: one asks for progress, the other does not
        CompletableFuture<McpSchema.CallToolResult> withProgress = progressing.async().callTool(
                McpSchema.CallToolRequest.builder("progress").arguments(Map.of("steps", 20))
                        .meta(Map.of("progressToken", "report-1")).build());
        CompletableFuture<McpSchema.CallToolResult> withoutProgress = silent.async().callTool(
                McpSchema.CallToolRequest.builder("progress").arguments(Map.of("steps", 20)).build());
        long t0 = System.nanoTime();
        withProgress.get(30, TimeUnit.SECONDS);
        withoutProgress.get(30, TimeUnit.SECONDS);
        long toolMillis = (System.nanoTime() - t0) / 1_000_000;
        clock.advance(Duration.ofSeconds(1));
        health.collect();
        double progressingP95 = health.history("progressing", MetricSpecs.RESPONSE_TIME_P95).orElseThrow().lastValue();
        double silentP95 = health.history("silent", MetricSpecs.RESPONSE_TIME_P95).orElseThrow().lastValue();
        AlertLevel progressingAlert = health.alertLevel("progressing", MetricSpecs.RESPONSE_TIME_P95);
        AlertLevel silentAlert = health.alertLevel("silent", MetricSpecs.RESPONSE_TIME_P95);
        for (int i = 0; i < 3; i++) {
            quickRound();
        }
        double progressingAfter = health.health("progressing").score().getAsDouble();
        double silentAfter = health.health("silent").score().getAsDouble();
        System.out.printf("MEASURED 2 s tool (%d ms): with progress p95 sample %.0f ms, score %.1f -> %.1f, alert %s;"
                        + " without progress p95 sample %.0f ms, score %.1f -> %.1f, alert %s%n", toolMillis,
                progressingP95, progressingBefore, progressingAfter, progressingAlert, silentP95, silentBefore,
                silentAfter, silentAlert);

        assertThat(toolMillis).as("the tool takes its 2 s").isGreaterThanOrEqualTo(1_900);
        assertThat(progressingP95).as("response time read from the meter: the longest silence (generous)")
                .isLessThan(MetricSpecs.responseTimeP95().warning());
        assertThat(progressingAlert).as("no response-time alert for the tool that reports progress")
                .isEqualTo(AlertLevel.NONE);
        assertThat(progressingAfter).as("a legitimate slow tool that reports progress leaves the score")
                .isGreaterThanOrEqualTo(Math.min(progressingBefore, 95.0) - 1.0);
        assertThat(silentP95).as("without progress the 2 s count as waiting").isGreaterThanOrEqualTo(1_900);
        assertThat(silentAlert).as("2 s against critical 1 s, emergency 2 s").isIn(AlertLevel.CRITICAL,
                AlertLevel.EMERGENCY);
        assertThat(silentAfter).as("the contrast: the same 2 s without progress lower the score")
                .isLessThan(progressingAfter - 2);
        assertThat(logs.list).as("no log line prints NaN").noneMatch(e -> e.getFormattedMessage().contains("NaN"));
    }
}
