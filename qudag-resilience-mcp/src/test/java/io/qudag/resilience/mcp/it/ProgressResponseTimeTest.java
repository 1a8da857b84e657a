package io.qudag.resilience.mcp.it;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.modelcontextprotocol.spec.McpSchema;
import io.qudag.resilience.core.health.HealthScore;
import io.qudag.resilience.mcp.McpEndpoint;
import io.qudag.resilience.mcp.ResilientMcpClient;
import io.qudag.resilience.mcp.ResilientMcpClientConfig;
import io.qudag.resilience.mcp.testing.SdkHttpServer;
import io.qudag.resilience.mcp.testing.TestTools;
import io.qudag.resilience.core.CallOutcome;
import io.qudag.resilience.core.ToolCall;
import io.qudag.resilience.mcp.spi.EndpointSelector;
import io.qudag.resilience.mcp.spi.PriorityEndpointSelector;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Tool time is not server latency when the tool says it is slow by design: a 2 s tool that reports
 * progress every 100 ms is scored by its longest silence, while the call meter keeps its whole duration;
 * the same tool without a progress token counts in full (the contrast shows the difference is the
 * progress, not the server).
 */
class ProgressResponseTimeTest {

    private final TestTools tools = new TestTools();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger qudagLogger = (Logger) LoggerFactory.getLogger("io.qudag");
    private Level previousLevel;
    private SdkHttpServer server;
    private ResilientMcpClient withProgress;
    private ResilientMcpClient withoutProgress;

    @BeforeEach
    void captureLogs() {
        previousLevel = qudagLogger.getLevel();
        qudagLogger.setLevel(Level.DEBUG);
        logs.start();
        qudagLogger.addAppender(logs);
    }

    @AfterEach
    void tearDown() {
        qudagLogger.detachAppender(logs);
        qudagLogger.setLevel(previousLevel);
        tools.release.countDown();
        if (withProgress != null) {
            withProgress.close();
        }
        if (withoutProgress != null) {
            withoutProgress.close();
        }
        if (server != null) {
            server.close();
        }
    }

    /** JIT-warms this JVM's client and the server (the first calls of a cold JVM take a second or more). */
    private void warmUp() throws Exception {
        try (ResilientMcpClient warm = ResilientMcpClient.create(ResilientMcpClientConfig.builder()
                .endpoint(McpEndpoint.http("warm-up", server.url()).trusted(true).build()).build())) {
            warm.async().whenReady().get(30, TimeUnit.SECONDS);
            for (int i = 0; i < 20; i++) {
                warm.callTool("echo", Map.of("text", "warm"));
            }
            warm.callTool(McpSchema.CallToolRequest.builder("progress").arguments(Map.of("steps", 2))
                    .meta(Map.of("progressToken", "warm")).build());
        }
    }

    @Test
    void aTwoSecondToolReportingProgress_isScoredByItsLongestSilence_andItsDurationStaysInTheCallMeter()
            throws Exception {
        server = SdkHttpServer.start(0, tools.specs());
        warmUp();
        AtomicInteger notifications = new AtomicInteger();
        withProgress = ResilientMcpClient.create(ResilientMcpClientConfig.builder()
                .endpoint(McpEndpoint.http("progressing", server.url()).trusted(true).build())
                .progressConsumer(n -> notifications.incrementAndGet())
                .meterRegistry(registry).build());
        withoutProgress = ResilientMcpClient.create(ResilientMcpClientConfig.builder()
                .endpoint(McpEndpoint.http("silent", server.url()).trusted(true).build())
                .meterRegistry(registry).build());
        withProgress.async().whenReady().get(30, TimeUnit.SECONDS);
        withoutProgress.async().whenReady().get(30, TimeUnit.SECONDS);
        for (int i = 0; i < 3; i++) {
            withProgress.callTool("echo", Map.of("text", "warm"));
            withoutProgress.callTool("echo", Map.of("text", "warm"));
        }
        HealthScore before = withProgress.async().health("progressing").score();
        double responseTotalBefore = registry.get("qudag.resilience.mcp.response.time")
                .tag("endpoint", "progressing").timer().totalTime(TimeUnit.MILLISECONDS);

        long t0 = System.nanoTime();
        withProgress.callTool(McpSchema.CallToolRequest.builder("progress").arguments(Map.of("steps", 20))
                .meta(Map.of("progressToken", "p-1")).build());
        long progressMillis = (System.nanoTime() - t0) / 1_000_000;
        // the same 2 s of tool time, without asking for progress: it can only count as waiting
        withoutProgress.callTool(McpSchema.CallToolRequest.builder("progress").arguments(Map.of("steps", 20))
                .build());

        double callMax = registry.get("qudag.resilience.mcp.calls").tag("endpoint", "progressing")
                .tag("tool", "progress").timer().max(TimeUnit.MILLISECONDS);
        // the progress call's own sample: the only one recorded since responseTotalBefore
        double responseMax = registry.get("qudag.resilience.mcp.response.time").tag("endpoint", "progressing")
                .timer().totalTime(TimeUnit.MILLISECONDS) - responseTotalBefore;
        double silentResponseMax = registry.get("qudag.resilience.mcp.response.time").tag("endpoint", "silent")
                .timer().max(TimeUnit.MILLISECONDS);
        HealthScore after = withProgress.async().health("progressing").score();
        HealthScore silent = withoutProgress.async().health("silent").score();
        System.out.printf("MEASURED 2 s tool with progress: call %d ms, call meter max %.0f ms, its response time"
                        + " %.0f ms, %d notifications, score %.1f -> %.1f; without progress: response time max %.0f ms,"
                        + " score %.1f%n", progressMillis, callMax, responseMax, notifications.get(), before.value(),
                after.value(), silentResponseMax, silent.value());

        assertThat(progressMillis).as("the tool takes its 2 s").isGreaterThanOrEqualTo(1_900);
        assertThat(notifications.get()).as("the caller's own progress consumer still hears every step")
                .isEqualTo(20);
        assertThat(callMax).as("the call meter keeps the whole duration").isGreaterThanOrEqualTo(1_900);
        assertThat(responseMax).as("its response time is its longest silence (100 ms steps), generous bound")
                .isLessThan(1_000);
        assertThat(silentResponseMax).as("without progress the whole duration is response time")
                .isGreaterThanOrEqualTo(1_900);
        // 100 ms silences against the 500 ms threshold: the response-time indicator stays near its ideal and
        // the score stays clear of the first action threshold (75); on a loaded machine a step may lag
        assertThat(after.value()).as("a legitimate slow tool does not lower the score below 75").isGreaterThan(75);
        assertThat(after.indicatorScores().get("response_time")).as("response-time indicator").isGreaterThan(75);
        assertThat(silent.value()).as("the contrast: counted as waiting, the same 2 s lowers the score")
                .isLessThan(after.value());
        assertThat(logs.list).as("no log line prints NaN")
                .noneMatch(e -> e.getFormattedMessage().contains("NaN"));
    }

    /**
     * The routing seam gets the same responsiveness sample: a latency-aware selector or a failover group
     * must not take a 2 s tool that streams progress every 100 ms for a 2 s server; without a progress
     * token the whole duration is the sample.
     */
    @Test
    void theSelectorGetsTheProgressAwareResponseTime_notTheWholeDuration() throws Exception {
        server = SdkHttpServer.start(0, tools.specs());
        warmUp();
        Map<String, Long> samples = new ConcurrentHashMap<>();
        PriorityEndpointSelector order = new PriorityEndpointSelector(List.of("progressing"));
        EndpointSelector recording = new EndpointSelector() {
            @Override
            public List<String> select(ToolCall call) {
                return order.select(call);
            }

            @Override
            public void onOutcome(String endpointId, ToolCall call, CallOutcome outcome, long durationNanos) {
                Object token = call.arguments().get("token");
                if (call.toolName().equals("progress") && outcome == CallOutcome.SUCCESS && token != null) {
                    samples.put(token.toString(), durationNanos);
                }
                order.onOutcome(endpointId, call, outcome, durationNanos);
            }
        };
        withProgress = ResilientMcpClient.create(ResilientMcpClientConfig.builder()
                .endpoint(McpEndpoint.http("progressing", server.url()).trusted(true).build())
                .endpointSelector(recording).progressConsumer(n -> { }).build());
        withProgress.async().whenReady().get(30, TimeUnit.SECONDS);

        long t0 = System.nanoTime();
        withProgress.callTool(McpSchema.CallToolRequest.builder("progress")
                .arguments(Map.of("steps", 20, "token", "with")).meta(Map.of("progressToken", "p-2")).build());
        long progressMillis = (System.nanoTime() - t0) / 1_000_000;
        withProgress.callTool(McpSchema.CallToolRequest.builder("progress")
                .arguments(Map.of("steps", 20, "token", "without")).build());

        System.out.printf("MEASURED selector samples of a 2 s tool: with progress %d ms (call %d ms), without %d ms%n",
                samples.get("with") / 1_000_000, progressMillis, samples.get("without") / 1_000_000);
        assertThat(progressMillis).as("the tool takes its 2 s").isGreaterThanOrEqualTo(1_900);
        assertThat(samples.get("with")).as("selector sample with progress: the longest silence (100 ms steps),"
                + " generous bound, ns").isLessThan(TimeUnit.MILLISECONDS.toNanos(1_000));
        assertThat(samples.get("without")).as("selector sample without progress: the whole duration, ns")
                .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(1_900));
    }
}
