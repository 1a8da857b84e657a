package io.qudag.resilience.mcp.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.spec.McpSchema;
import io.qudag.resilience.core.CallOutcome;
import io.qudag.resilience.core.FailoverTier;
import io.qudag.resilience.core.ToolCall;
import io.qudag.resilience.core.pipeline.ResiliencePipeline;
import io.qudag.resilience.core.pipeline.RetryPolicy;
import io.qudag.resilience.failover.EndpointGroup;
import io.qudag.resilience.failover.FailoverDecisionEngine;
import io.qudag.resilience.failover.NoEndpointAvailableException;
import io.qudag.resilience.mcp.EndpointHealth;
import io.qudag.resilience.mcp.EndpointUnavailableException;
import io.qudag.resilience.mcp.McpConnectionLostException;
import io.qudag.resilience.mcp.McpEndpoint;
import io.qudag.resilience.mcp.McpOutcomes;
import io.qudag.resilience.mcp.ResilientMcpAsyncClient;
import io.qudag.resilience.mcp.ResilientMcpClient;
import io.qudag.resilience.mcp.ResilientMcpClientConfig;
import io.qudag.resilience.mcp.failover.McpFailover;
import io.qudag.resilience.mcp.spi.EndpointSelector;
import io.qudag.resilience.mcp.testing.ChildProcess;
import io.qudag.resilience.mcp.testing.SdkHttpServer;
import io.qudag.resilience.mcp.testing.SdkServerMain;
import io.qudag.resilience.mcp.testing.TestTools;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The client's answers never depend on its extension points behaving: a selector that throws, ranks
 * nothing or a closed client give a failed future (async) or a typed exception (sync), never a hang.
 */
class ClientRobustnessTest {

    private static final Duration BOUND = Duration.ofSeconds(10);

    private final TestTools tools = new TestTools();
    private final String marker = "qudag-robust-" + UUID.randomUUID();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private SdkHttpServer server;

    @AfterEach
    void tearDown() throws Exception {
        tools.release.countDown();
        for (AutoCloseable c : closeables) {
            c.close();
        }
        if (server != null) {
            server.close();
        }
        ChildProcess.killChildrenMatching(marker);
    }

    private <T extends AutoCloseable> T closeLater(T c) {
        closeables.add(0, c);
        return c;
    }

    /** Routes to the given ids; its hooks throw when told to. */
    private static final class BrokenSelector implements EndpointSelector {
        final List<String> order;
        volatile boolean throwOnOutcome;
        volatile boolean throwOnAlive;
        volatile boolean throwOnDown;
        final AtomicInteger outcomes = new AtomicInteger();
        final AtomicInteger downs = new AtomicInteger();

        BrokenSelector(String... order) {
            this.order = List.of(order);
        }

        @Override
        public List<String> select(ToolCall call) {
            return order;
        }

        @Override
        public void onOutcome(String endpointId, ToolCall call, CallOutcome outcome, long durationNanos) {
            outcomes.incrementAndGet();
            if (throwOnOutcome) {
                throw new IllegalArgumentException("endpointId must name an endpoint of group g, was " + endpointId);
            }
        }

        @Override
        public void onLiveness(String endpointId, boolean alive) {
            if (!alive) {
                downs.incrementAndGet();
            }
            if (alive ? throwOnAlive : throwOnDown) {
                throw new IllegalStateException("selector broken (alive=" + alive + ")");
            }
        }

        @Override
        public String toString() {
            return "BrokenSelector" + order;
        }
    }

    private ResilientMcpClientConfig.Builder http(EndpointSelector selector) throws Exception {
        server = SdkHttpServer.start(0, tools.specs());
        return ResilientMcpClientConfig.builder()
                .endpoint(McpEndpoint.http("a", server.url()).trusted(true).build())
                .endpointSelector(selector);
    }

    @Test
    void selectorThatThrowsOnOutcome_doesNotLeaveTheCallerWaiting() throws Exception {
        BrokenSelector selector = new BrokenSelector("a");
        selector.throwOnOutcome = true;
        ResilientMcpClient client = closeLater(ResilientMcpClient.create(http(selector).build()));

        CompletableFuture<McpSchema.CallToolResult> sync =
                CompletableFuture.supplyAsync(() -> client.callTool("echo", Map.of("text", "hi")));
        assertThat(sync).succeedsWithin(BOUND).satisfies(r ->
                assertThat(((McpSchema.TextContent) r.content().get(0)).text()).isEqualTo("hi"));
        assertThat(client.async().callTool("fail", Map.of())).failsWithin(BOUND);
        assertThat(selector.outcomes).hasValue(2);
        assertThat(client.health("a").successes()).as("the client's own bookkeeping still ran").isEqualTo(1);
    }

    @Test
    void selectorThatThrowsOnLiveness_doesNotKeepTheEndpointFromBecomingReady() throws Exception {
        BrokenSelector selector = new BrokenSelector("a");
        selector.throwOnAlive = true;
        ResilientMcpAsyncClient client = closeLater(ResilientMcpAsyncClient.create(http(selector).build()));

        assertThat(client.whenReady()).succeedsWithin(BOUND);
        assertThat(client.callTool("echo", Map.of("text", "hi"))).succeedsWithin(BOUND);
    }

    @Test
    void stdioChildIsRestarted_evenWhenTheSelectorThrowsOnLivenessDown() throws Exception {
        BrokenSelector selector = new BrokenSelector("child");
        selector.throwOnDown = true;
        ServerParameters params = ServerParameters.builder(ChildProcess.javaBin())
                .args(ChildProcess.javaArgs(marker, SdkServerMain.class, "stdio")).build();
        ResilientMcpAsyncClient client = closeLater(ResilientMcpAsyncClient.create(ResilientMcpClientConfig.builder()
                .endpoint(McpEndpoint.stdio("child", params).trusted(true).build())
                .endpointSelector(selector)
                .restartBackoff(Duration.ofMillis(50), Duration.ofSeconds(1))
                .build()));
        client.whenReady().get(60, TimeUnit.SECONDS);
        ProcessHandle first = await().atMost(BOUND)
                .until(() -> ChildProcess.childMatching(marker), java.util.Optional::isPresent).orElseThrow();

        first.destroyForcibly();
        await().atMost(BOUND).until(() -> selector.downs.get() >= 1);
        await().atMost(Duration.ofSeconds(60)).until(() -> client.health("child").restarts() == 1
                && client.health("child").state() == EndpointHealth.ConnectionState.READY);
        assertThat(client.callTool("echo", Map.of("text", "again"))).succeedsWithin(Duration.ofSeconds(30));
    }

    @Test
    void selectorThatNamesNoEndpoint_failsTheFuture_andTheSyncCallThrowsTyped() throws Exception {
        EndpointSelector empty = new BrokenSelector(); // ranks no endpoint at all
        ResilientMcpClient client = closeLater(ResilientMcpClient.create(http(empty).build()));

        CompletableFuture<McpSchema.CallToolResult>[] f = new CompletableFuture[1];
        assertThatCode(() -> f[0] = client.async().callTool("echo", Map.of())).doesNotThrowAnyException();
        assertThat(f[0]).failsWithin(BOUND).withThrowableThat().withCauseInstanceOf(NoEndpointAvailableException.class);
        assertThatThrownBy(() -> client.callTool("echo", Map.of()))
                .isInstanceOf(NoEndpointAvailableException.class).hasMessageContaining("named no endpoint");
        assertThat(tools.started).hasValue(0);
    }

    @Test
    void failoverGroupWithEveryEndpointOut_failsTheFuture_andTheSyncCallThrowsTyped() throws Exception {
        server = SdkHttpServer.start(0, tools.specs());
        McpEndpoint a = McpEndpoint.http("a", server.url()).trusted(true).build();
        EndpointGroup group = EndpointGroup.builder("g")
                .tier(FailoverTier.LOCAL, McpFailover.endpoint(a, FailoverTier.LOCAL, 1)).build();
        FailoverDecisionEngine engine = closeLater(FailoverDecisionEngine.builder(group).build());
        ResilientMcpClient client = closeLater(ResilientMcpClient.create(ResilientMcpClientConfig.builder()
                .endpoint(a).endpointSelector(McpFailover.selector(engine, List.of(a))).build()));
        assertThat(client.callTool("echo", Map.of("text", "before")).isError()).isFalse();

        engine.drain("a");
        CompletableFuture<McpSchema.CallToolResult>[] f = new CompletableFuture[1];
        assertThatCode(() -> f[0] = client.async().callTool("echo", Map.of())).doesNotThrowAnyException();
        assertThat(f[0]).failsWithin(BOUND).withThrowableThat().withCauseInstanceOf(NoEndpointAvailableException.class);
        assertThatThrownBy(() -> client.callTool("echo", Map.of())).isInstanceOf(NoEndpointAvailableException.class);
        assertThat(McpOutcomes.classifier().classify(null, new NoEndpointAvailableException("g", "x")))
                .isEqualTo(CallOutcome.REJECTED);
    }

    @Test
    void hedgedCallAfterClose_failsTheFuture_insteadOfThrowingOnTheCallersThread() throws Exception {
        server = SdkHttpServer.start(0, tools.specs());
        SdkHttpServer b = closeLater(SdkHttpServer.start(0, new TestTools().specs()));
        ResilientMcpAsyncClient client = ResilientMcpAsyncClient.create(ResilientMcpClientConfig.builder()
                .endpoint(McpEndpoint.http("a", server.url()).trusted(true).build())
                .endpoint(McpEndpoint.http("b", b.url()).trusted(true).build())
                .hedging(Duration.ofMillis(50), 1).build());
        client.whenReady().get(30, TimeUnit.SECONDS);
        client.close();

        CompletableFuture<McpSchema.CallToolResult>[] f = new CompletableFuture[1];
        assertThatCode(() -> f[0] = client.callTool("read", Map.of())).doesNotThrowAnyException();
        assertThat(f[0]).failsWithin(BOUND).withThrowableThat().withCauseInstanceOf(EndpointUnavailableException.class);
    }

    @Test
    void callInFlightAtClose_endsPromptly_evenThoughItsRetryWouldRunAfterTheSchedulerIsShutDown() throws Exception {
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
        closeLater(scheduler::shutdownNow);
        // A safe-to-repeat call whose retry waits 30 s on the (then shut down) scheduler.
        ResilientMcpClient client = ResilientMcpClient.create(http(null).scheduler(scheduler)
                .pipelineFactory(id -> ResiliencePipeline.<McpSchema.CallToolResult>builder("mcp-" + id)
                        .retry(RetryPolicy.builder().maxAttempts(3).initialBackoff(Duration.ofSeconds(30))
                                .maxBackoff(Duration.ofSeconds(60)).jitter(0.0).build())
                        .outcomeClassifier(McpOutcomes.classifier())
                        .scheduler(scheduler)
                        .build())
                .build());
        assertThat(client.toolHints("read").safeToRepeat()).isTrue();
        CompletableFuture<McpSchema.CallToolResult> call =
                CompletableFuture.supplyAsync(() -> client.callTool("read", Map.of("block", true)));
        await().atMost(BOUND).until(() -> tools.started.get() == 1);

        client.close();
        scheduler.shutdownNow();

        assertThat(call).failsWithin(BOUND).withThrowableThat()
                .withCauseInstanceOf(McpConnectionLostException.class);
        assertThat(tools.started).as("not re-sent after close").hasValue(1);
    }
}
