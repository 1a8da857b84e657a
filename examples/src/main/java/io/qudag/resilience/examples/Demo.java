package io.qudag.resilience.examples;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.qudag.resilience.core.CallOutcome;
import io.qudag.resilience.core.ToolCall;
import io.qudag.resilience.core.ToolHints;
import io.qudag.resilience.core.bulkhead.BulkheadRejectedException;
import io.qudag.resilience.core.bulkhead.IsolationBulkheads;
import io.qudag.resilience.core.bulkhead.IsolationBulkheadsConfig;
import io.qudag.resilience.core.bulkhead.IsolationClass;
import io.qudag.resilience.core.fallback.CachedResponseFallback;
import io.qudag.resilience.core.health.HealthIndicators;
import io.qudag.resilience.core.health.HealthMonitor;
import io.qudag.resilience.core.health.HealthScore;
import io.qudag.resilience.core.pipeline.Breakers;
import io.qudag.resilience.core.pipeline.ResiliencePipeline;
import io.qudag.resilience.core.pipeline.RetryPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The main demo. Part one: a tool server that is healthy, then dies, then hangs, then recovers, called
 * through a {@link ResiliencePipeline} (cached fallback › breaker › bulkhead › time limit › retry),
 * with its health scored from the spec's primary indicators. Part two: {@link BreakerDemo}, the
 * adaptive breaker and the breaker hierarchy. Part three: {@link FailoverDemo}, tiered failover across
 * real MCP servers in child JVMs. Exits 0 when every behaviour it shows held.
 */
public final class Demo {

    /** What the simulated server does with a call. */
    enum Mode { HEALTHY, DOWN, HANGING }

    /** A stand-in for an MCP server's tools, with a counter of executions per tool. */
    static final class FlakyServer {
        volatile Mode mode = Mode.HEALTHY;
        final AtomicInteger searchExecutions = new AtomicInteger();
        final AtomicInteger deleteExecutions = new AtomicInteger();
        final CountDownLatch releaseHanging = new CountDownLatch(1);

        String call(ToolCall call) {
            if (call.toolName().equals("delete_file")) {
                deleteExecutions.incrementAndGet();
            } else {
                searchExecutions.incrementAndGet();
            }
            switch (mode) {
                case DOWN:
                    throw new UncheckedIOException(new IOException("connection reset by peer"));
                case HANGING:
                    try {
                        releaseHanging.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return "late";
                default:
                    return "results for " + call.arguments().get("q");
            }
        }
    }

    private Demo() {
    }

    /** Runs the pipeline demo, the {@link BreakerDemo}, then {@link FailoverDemo} over real MCP servers. */
    public static void main(String[] args) throws Exception {
        long t0 = System.nanoTime();
        boolean pipelineOk = run();
        long t1 = System.nanoTime();
        System.out.println();
        boolean breakerOk = BreakerDemo.run();
        long t2 = System.nanoTime();
        System.out.println();
        boolean failoverOk = FailoverDemo.runDemo();
        long t3 = System.nanoTime();
        System.out.println();
        System.out.println("Summary");
        System.out.printf("  %-44s %-8s %6s%n", "part", "result", "time");
        summaryRow("pipeline through a dying and hanging server", pipelineOk, t1 - t0);
        summaryRow("adaptive breaker and breaker hierarchy", breakerOk, t2 - t1);
        summaryRow("tiered failover across 3 real MCP servers", failoverOk, t3 - t2);
        summaryRow("all", pipelineOk && breakerOk && failoverOk, t3 - t0);
        System.exit(pipelineOk && breakerOk && failoverOk ? 0 : 1);
    }

    private static void summaryRow(String part, boolean ok, long nanos) {
        System.out.printf("  %-44s %-8s %5.1f s%n", part, ok ? "held" : "FAILED", nanos / 1e9);
    }

    static boolean run() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        FlakyServer server = new FlakyServer();
        List<String> transitions = new ArrayList<>();
        List<String> failures = new ArrayList<>();

        CircuitBreaker breaker = CircuitBreaker.of("search-mcp", CircuitBreakerConfig.custom()
                .slidingWindowSize(10).minimumNumberOfCalls(5).failureRateThreshold(50)
                .waitDurationInOpenState(Duration.ofMillis(300)).permittedNumberOfCallsInHalfOpenState(2)
                .build());
        boolean[] forcing = {false};
        breaker.getEventPublisher().onStateTransition(e -> transitions.add(e.getStateTransition().getFromState() + "->"
                + e.getStateTransition().getToState() + (forcing[0] ? " (forced by the demo)" : "")));
        IsolationBulkheads bulkheads = IsolationBulkheads.of("demo", IsolationBulkheadsConfig.defaults(), registry);
        CachedResponseFallback<String> cache = CachedResponseFallback.ofDefaults();
        List<String> healthEvents = new ArrayList<>();
        HealthMonitor health = HealthMonitor.builder("search-mcp", HealthIndicators.primary())
                .meterRegistry(registry)
                .listener(e -> healthEvents.add(String.format("%s %s at %.1f", e.action(), e.kind(), e.score())))
                .build();
        Function<ToolCall, String> observed = call -> observe(health, server, call);

        ResiliencePipeline<String> pipeline = ResiliencePipeline.<String>builder("search")
                .fallback(cache)
                .breaker(Breakers.of(breaker))
                .bulkhead(bulkheads.bulkhead(IsolationClass.USER))
                .timeLimit(Duration.ofMillis(200))
                .retry(RetryPolicy.builder().maxAttempts(3).initialBackoff(Duration.ofMillis(10))
                        .maxBackoff(Duration.ofMillis(50)).build())
                .meterRegistry(registry)
                .build();

        System.out.println("QuDAG Resilience demo: a read-only 'search' tool and a destructive 'delete_file'");
        System.out.println("pipeline: cached fallback > breaker > USER bulkhead > 200 ms time limit > retry x3");
        System.out.println();

        // Phase 1: healthy. Answers are cached for the fallback.
        int answered = 0;
        for (int i = 0; i < 5; i++) {
            answered += pipeline.executeToolCall(search("q" + i), observed).startsWith("results") ? 1 : 0;
        }
        report("1 healthy", "5 calls, " + answered + " answered by the server, breaker " + breaker.getState());
        reportHealth(health);
        check(answered == 5, "all healthy calls answered", failures);

        // Phase 2: the server dies. Read-only calls are retried, then answered from the cache.
        server.mode = Mode.DOWN;
        int executionsBefore = server.searchExecutions.get();
        int fromCache = 0;
        for (int i = 0; i < 5; i++) {
            fromCache += pipeline.executeToolCall(search("q" + i), observed).startsWith("results") ? 1 : 0;
        }
        int executionsWhileDown = server.searchExecutions.get() - executionsBefore;
        report("2 server down", "5 calls, " + fromCache + " answered from the cache, "
                + executionsWhileDown + " attempts reached the server, breaker " + breaker.getState());
        reportHealth(health);
        check(fromCache == 5, "cache answered every call while the server was down", failures);
        check(breaker.getState() == CircuitBreaker.State.OPEN, "breaker opened", failures);

        // A destructive, non-idempotent call is never repeated.
        server.mode = Mode.DOWN;
        forcing[0] = true;
        breaker.transitionToClosedState();
        forcing[0] = false;
        String deleteResult;
        try {
            deleteResult = pipeline.executeToolCall(ToolCall.of("delete_file", Map.of("path", "/tmp/x"),
                    ToolHints.UNTRUSTED), observed);
        } catch (UncheckedIOException e) {
            deleteResult = "error: " + e.getCause().getMessage();
        }
        report("2b destructive", "delete_file -> " + deleteResult + "; executed "
                + server.deleteExecutions.get() + " time(s) despite retry x3");
        check(server.deleteExecutions.get() == 1, "destructive call ran exactly once", failures);

        // Phase 3: the server hangs. The time limit cuts the call, the cache answers.
        server.mode = Mode.HANGING;
        forcing[0] = true;
        breaker.transitionToClosedState();
        forcing[0] = false;
        long t0 = System.nanoTime();
        String hung = pipeline.executeToolCall(search("q1"), observed);
        long hungMillis = (System.nanoTime() - t0) / 1_000_000;
        report("3 server hangs", "the call was cut at its 200 ms time limit; the cached answer '" + hung
                + "' reached the caller " + hungMillis + " ms after the call began");
        check(hung.startsWith("results"), "hanging call answered from the cache", failures);
        server.releaseHanging.countDown();

        // Phase 4: bulkhead isolation. BACKGROUND is saturated; CRITICAL still serves.
        server.mode = Mode.HEALTHY;
        var background = bulkheads.bulkhead(IsolationClass.BACKGROUND);
        int held = 0;
        while (background.tryAcquirePermission()) {
            held++;
        }
        ResiliencePipeline<String> backgroundPipeline = ResiliencePipeline.<String>builder("reindex")
                .bulkhead(background).build();
        ResiliencePipeline<String> criticalPipeline = ResiliencePipeline.<String>builder("auth")
                .bulkhead(bulkheads.bulkhead(IsolationClass.CRITICAL)).build();
        String backgroundResult;
        try {
            backgroundResult = backgroundPipeline.execute(() -> "reindexed");
        } catch (BulkheadRejectedException e) {
            backgroundResult = "rejected (" + e.getMessage() + ")";
        }
        String criticalResult = criticalPipeline.execute(() -> "authenticated");
        report("4 isolation", held + " BACKGROUND permits held; background call " + backgroundResult
                + "; critical call " + criticalResult);
        check(criticalResult.equals("authenticated"), "CRITICAL admitted while BACKGROUND was full", failures);
        for (int i = 0; i < held; i++) {
            background.onComplete();
        }

        // Phase 5: recovery. After the open wait, half-open trial calls close the breaker again.
        forcing[0] = true;
        breaker.transitionToOpenState();
        forcing[0] = false;
        Thread.sleep(350); // demo only: let the breaker's open wait (300 ms) pass in real time
        int recovered = 0;
        for (int i = 0; i < 4; i++) {
            recovered += pipeline.executeToolCall(search("fresh" + i), observed).equals("results for fresh" + i)
                    ? 1 : 0;
        }
        report("5 recovered", recovered + "/4 fresh answers from the server, breaker " + breaker.getState());
        reportHealth(health);
        check(breaker.getState() == CircuitBreaker.State.CLOSED, "breaker closed after recovery", failures);
        check(healthEvents.stream().anyMatch(e -> e.startsWith("ACTIVATE_FAILOVER ENTERED")),
                "health score fell below 40 while the server was down", failures);

        System.out.println();
        System.out.println("breaker transitions: " + transitions);
        System.out.println("health actions (spec 2.1, once per crossing): " + healthEvents);
        System.out.println("meters:");
        for (CallOutcome o : CallOutcome.values()) {
            Counter c = registry.find("qudag.resilience.pipeline.calls").tag("pipeline", "search")
                    .tag("outcome", o.name()).counter();
            if (c != null && c.count() > 0) {
                System.out.printf("  qudag.resilience.pipeline.calls{pipeline=search,outcome=%s} = %.0f%n", o, c.count());
            }
        }
        System.out.printf("  qudag.resilience.pipeline.retries{pipeline=search} = %.0f%n",
                registry.get("qudag.resilience.pipeline.retries").tag("pipeline", "search").counter().count());
        System.out.printf("  qudag.resilience.pipeline.fallbacks{pipeline=search} = %.0f%n",
                registry.get("qudag.resilience.pipeline.fallbacks").tag("pipeline", "search").counter().count());
        System.out.println();
        if (failures.isEmpty()) {
            System.out.println("demo OK: every behaviour shown held");
            return true;
        }
        System.out.println("demo FAILED: " + failures);
        return false;
    }

    private static ToolCall search(String q) {
        return ToolCall.builder("search").arguments(Map.of("q", q)).hints(ToolHints.READ_ONLY)
                .serviceId("search-mcp").build();
    }

    static void report(String phase, String what) {
        System.out.printf("%-16s %s%n", phase, what);
    }

    private static void reportHealth(HealthMonitor health) {
        HealthScore s = health.score();
        StringBuilder indicators = new StringBuilder();
        s.indicatorScores().forEach((k, v) -> indicators.append(indicators.length() == 0 ? "" : ", ")
                .append(k).append(' ').append(String.format("%.1f", v)));
        System.out.printf("%-16s health of search-mcp %.1f (%s); indicator scores: %s%n", "", s.value(), s.grade(),
                indicators);
    }

    /** Calls the server and feeds the spec's primary indicators with what each attempt did. */
    private static String observe(HealthMonitor health, FlakyServer server, ToolCall call) {
        long t0 = System.nanoTime();
        try {
            String result = server.call(call);
            health.record("response_time", (System.nanoTime() - t0) / 1e6);
            health.record("error_rate", 0);
            health.record("connection_success_rate", 1);
            return result;
        } catch (RuntimeException e) {
            health.record("error_rate", 1);
            health.record("connection_success_rate", 0);
            throw e;
        }
    }

    static void check(boolean condition, String what, List<String> failures) {
        if (!condition) {
            failures.add(what);
        }
    }
}
