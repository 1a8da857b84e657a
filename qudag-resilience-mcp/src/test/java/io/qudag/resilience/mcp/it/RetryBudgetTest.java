package io.qudag.resilience.mcp.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.modelcontextprotocol.spec.McpSchema;
import io.qudag.resilience.core.pipeline.ResiliencePipeline;
import io.qudag.resilience.core.pipeline.RetryPolicy;
import io.qudag.resilience.mcp.McpEndpoint;
import io.qudag.resilience.mcp.McpOutcomes;
import io.qudag.resilience.mcp.ResilientMcpClient;
import io.qudag.resilience.mcp.ResilientMcpClientConfig;
import io.qudag.resilience.mcp.testing.SdkHttpServer;
import io.qudag.resilience.mcp.testing.TestTools;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The retry budget against a failing fleet: three SDK servers whose read-only tool always answers
 * -32603, 32 callers for 5 s, a pipeline that would retry each call three times on every endpoint (up
 * to nine attempts per call) and no breaker to hide the storm. The budget (20% of the calls over 10 s;
 * the per-second floor is 0 here, see {@code RetryBudgetTest} in {@code internal} for it) holds the
 * attempts the servers see to at most 1.25× the calls.
 */
class RetryBudgetTest {

    private final List<SdkHttpServer> servers = new ArrayList<>();
    private final List<TestTools> tools = new ArrayList<>();
    private ResilientMcpClient client;
    private ExecutorService callers;

    @AfterEach
    void tearDown() {
        if (callers != null) {
            callers.shutdownNow();
        }
        if (client != null) {
            client.close();
        }
        servers.forEach(SdkHttpServer::close);
    }

    @Test
    void allServersFailing_thirtyTwoCallersForFiveSeconds_attemptsStayWithinTheBudget() throws Exception {
        ResilientMcpClientConfig.Builder config = ResilientMcpClientConfig.builder().callTimeout(Duration.ofSeconds(10));
        for (int i = 0; i < 3; i++) {
            TestTools t = new TestTools();
            SdkHttpServer s = SdkHttpServer.start(0, t.specs());
            tools.add(t);
            servers.add(s);
            config.endpoint(McpEndpoint.http("s" + i, s.url()).trusted(true).build());
        }
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        // the ratio alone (no per-second floor), so the bound holds however few calls this machine manages
        client = ResilientMcpClient.create(config.meterRegistry(meters).retryBudget(0.2, 0, Duration.ofSeconds(10))
                .pipelineFactory(id -> ResiliencePipeline.<McpSchema.CallToolResult>builder("budget-" + id)
                        .retry(RetryPolicy.builder().maxAttempts(3).initialBackoff(Duration.ofMillis(1)).jitter(0)
                                .build())
                        .outcomeClassifier(McpOutcomes.classifier()).build())
                .build());
        client.async().whenReady().get(30, TimeUnit.SECONDS);

        int callerCount = 32;
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong calls = new AtomicLong();
        AtomicLong unexpected = new AtomicLong();
        AtomicLong slowest = new AtomicLong();
        java.util.concurrent.atomic.AtomicReference<String> lastError = new java.util.concurrent.atomic.AtomicReference<>();
        callers = Executors.newFixedThreadPool(callerCount);
        List<CompletableFuture<Void>> runs = new ArrayList<>();
        for (int i = 0; i < callerCount; i++) {
            runs.add(CompletableFuture.runAsync(() -> {
                while (!stop.get()) {
                    long t0 = System.nanoTime();
                    try {
                        client.callTool("fail_read", Map.of());
                        unexpected.incrementAndGet();
                    } catch (RuntimeException expected) {
                        // every call fails: -32603 from every server
                        lastError.set(expected.toString());
                    }
                    slowest.accumulateAndGet(System.nanoTime() - t0, Math::max);
                    calls.incrementAndGet();
                }
            }, callers));
        }
        Awaitility.await().pollDelay(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(6)).until(() -> true);
        stop.set(true);
        CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

        long attempts = tools.stream().mapToLong(t -> t.failedReads.get()).sum();
        double spent = meters.find("qudag.resilience.mcp.retry.budget.spent").counters().stream()
                .mapToDouble(c -> c.count()).sum();
        double refused = meters.find("qudag.resilience.mcp.retry.budget.refused").counters().stream()
                .mapToDouble(c -> c.count()).sum();
        System.out.printf(java.util.Locale.ROOT, "MEASURED retry budget: %d calls, %d attempts seen by the servers"
                + " (%.3f per call); budget spent %.0f, refused %.0f; slowest call %d ms; last error %s%n", calls.get(),
                attempts, attempts / (double) calls.get(), spent, refused, slowest.get() / 1_000_000, lastError.get());
        assertThat(unexpected).hasValue(0);
        assertThat(calls.get()).as("calls made").isGreaterThan(callerCount);
        assertThat(attempts).as("attempts the servers saw (at most 1.25 x %d calls)", calls.get())
                .isLessThanOrEqualTo((long) (1.25 * calls.get()));
        assertThat(attempts).as("attempts = calls + the extra attempts the budget allowed")
                .isLessThanOrEqualTo(calls.get() + (long) spent);
        assertThat(refused).as("extra attempts refused").isPositive();
    }
}
