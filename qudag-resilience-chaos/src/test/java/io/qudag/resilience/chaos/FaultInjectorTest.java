package io.qudag.resilience.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.qudag.resilience.chaos.mcp.McpFaults;
import io.qudag.resilience.core.CallOutcome;
import io.qudag.resilience.core.Outcomes;
import io.qudag.resilience.core.ToolCall;
import io.qudag.resilience.core.ToolHints;
import io.qudag.resilience.core.pipeline.ResiliencePipeline;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class FaultInjectorTest {

    static final EnvironmentLookup GUARD_ON = name -> ChaosSwitch.GUARD_VARIABLE.equals(name) ? "true" : null;
    static final EnvironmentLookup GUARD_OFF = name -> null;

    private final ObjectMapper json = new ObjectMapper();
    private final ToolCall search = ToolCall.of("search", Map.of("q", "x"), ToolHints.READ_ONLY);

    static ChaosSwitch armed() {
        ChaosSwitch s = ChaosSwitch.create("test", GUARD_ON);
        assertThat(s.enable()).isTrue();
        return s;
    }

    private FaultInjector<String> failing(ChaosSwitch s, double rate, long seed) {
        FaultInjector<String> i = FaultInjector.<String>builder("fail", s).rate(rate).seed(seed)
                .exception(() -> new IllegalStateException("boom"));
        i.start();
        return i;
    }

    /** Indices of the calls (of {@code n}) that the pipeline saw fail. */
    private List<Integer> hits(FaultInjector<String> injector, int n) {
        List<Integer> hit = new ArrayList<>();
        try (ResiliencePipeline<String> p = ResiliencePipeline.<String>builder("p").interceptor(injector).build()) {
            for (int k = 0; k < n; k++) {
                try {
                    p.execute(() -> "ok");
                } catch (IllegalStateException e) {
                    hit.add(k);
                }
            }
        }
        return hit;
    }

    @Test
    void rate02Over10000Calls_injects20PercentWithin2Points() {
        FaultInjector<String> injector = failing(armed(), 0.2, 12345);
        int injected = hits(injector, 10_000).size();
        assertThat(injected).isBetween(1800, 2200);
        assertThat(injector.injected()).isEqualTo(injected);
        assertThat(injector.considered()).isEqualTo(10_000);
    }

    @Test
    void manySeeds_rate02_alwaysWithin2Points() {
        for (long seed = 0; seed < 20; seed++) {
            assertThat(hits(failing(armed(), 0.2, seed), 10_000).size()).as("seed %d", seed).isBetween(1800, 2200);
        }
    }

    @Test
    void switchOffInCode_injectsNothing() {
        ChaosSwitch s = ChaosSwitch.create("off", GUARD_ON); // guard set, never enabled
        FaultInjector<String> injector = failing(s, 1.0, 1);
        assertThat(hits(injector, 1000)).isEmpty();
        assertThat(injector.considered()).isZero();
    }

    @Test
    void guardOff_enableIsRefused_injectsNothing() {
        ChaosSwitch s = ChaosSwitch.create("unguarded", GUARD_OFF);
        assertThat(s.enable()).isFalse();
        assertThat(s.armed()).isFalse();
        assertThat(s.enabledInCode()).isTrue();
        assertThat(hits(failing(s, 1.0, 1), 1000)).isEmpty();
        ChaosSwitch wrongValue = ChaosSwitch.create("yes", n -> "yes");
        assertThat(wrongValue.enable()).isFalse();
    }

    @Test
    void disableIsAKillSwitch() {
        ChaosSwitch s = armed();
        FaultInjector<String> injector = failing(s, 1.0, 1);
        assertThat(hits(injector, 10)).hasSize(10);
        s.disable();
        assertThat(hits(injector, 10)).isEmpty();
    }

    @Test
    void notStarted_orStopped_injectsNothing() {
        FaultInjector<String> injector = FaultInjector.<String>builder("idle", armed()).exception(IllegalStateException::new);
        assertThat(hits(injector, 100)).isEmpty();
        injector.start();
        assertThat(hits(injector, 5)).hasSize(5);
        injector.stop();
        assertThat(hits(injector, 100)).isEmpty();
    }

    @Test
    void sameSeed_sameCalls_otherSeed_otherCalls() {
        List<Integer> a = hits(failing(armed(), 0.3, 42), 2000);
        List<Integer> b = hits(failing(armed(), 0.3, 42), 2000);
        List<Integer> c = hits(failing(armed(), 0.3, 43), 2000);
        assertThat(a).isNotEmpty().isEqualTo(b).isNotEqualTo(c);
    }

    @Test
    void durationEndsTheWindow_onTheInjectedClock() {
        MutableClock clock = new MutableClock();
        FaultInjector<String> injector = FaultInjector.<String>builder("window", armed()).clock(clock)
                .duration(Duration.ofSeconds(30)).exception(IllegalStateException::new);
        injector.start();
        assertThat(hits(injector, 3)).hasSize(3);
        clock.advance(Duration.ofSeconds(29));
        assertThat(injector.active()).isTrue();
        assertThat(hits(injector, 1)).hasSize(1);
        clock.advance(Duration.ofSeconds(1));
        assertThat(injector.active()).isFalse();
        assertThat(hits(injector, 100)).isEmpty();
    }

    @Test
    void scopePicksToolsEndpointsAndTenants() throws Exception {
        FaultInjector<String> injector = FaultInjector.<String>builder("scoped", armed())
                .scope(ChaosContext.tools("search").and(ChaosContext.tenants("acme")))
                .tenantOf(call -> (String) call.arguments().get("tenant"))
                .exception(() -> new IllegalStateException("hit"));
        injector.start();
        ToolCall acmeSearch = ToolCall.of("search", Map.of("tenant", "acme"), ToolHints.READ_ONLY);
        ToolCall otherSearch = ToolCall.of("search", Map.of("tenant", "other"), ToolHints.READ_ONLY);
        ToolCall acmeWrite = ToolCall.of("write", Map.of("tenant", "acme"), ToolHints.READ_ONLY);
        assertThatThrownBy(() -> injector.beforeAttempt(acmeSearch)).hasMessage("hit");
        assertThat(injector.beforeAttempt(otherSearch)).isNull();
        assertThat(injector.beforeAttempt(acmeWrite)).isNull();
        assertThat(injector.beforeAttempt(null)).as("a plain call has no tool").isNull();

        FaultInjector<String> byEndpoint = FaultInjector.<String>builder("ep", armed())
                .scope(ChaosContext.endpoints("primary")).exception(() -> new IllegalStateException("hit"));
        byEndpoint.start();
        assertThatThrownBy(() -> byEndpoint.beforeAttempt(search.withEndpoint("primary"))).hasMessage("hit");
        assertThat(byEndpoint.beforeAttempt(search.withEndpoint("replica"))).isNull();
    }

    @Test
    void latencyProfiles_sleepWhatTheyDraw_withinBounds() throws Exception {
        List<Duration> slept = new CopyOnWriteArrayList<>();
        for (LatencyProfile profile : List.of(LatencyProfile.fixed(Duration.ofMillis(100)),
                LatencyProfile.range(Duration.ofMillis(10), Duration.ofMillis(20)),
                LatencyProfile.normal(Duration.ofMillis(50), Duration.ofMillis(10), Duration.ofMillis(80)),
                LatencyProfile.exponential(Duration.ofMillis(30), Duration.ofMillis(200)))) {
            slept.clear();
            FaultInjector<String> injector = FaultInjector.<String>builder("slow", armed()).seed(3)
                    .sleeper(slept::add).latency(profile);
            injector.start();
            try (ResiliencePipeline<String> p = ResiliencePipeline.<String>builder("p").interceptor(injector).build()) {
                for (int k = 0; k < 200; k++) {
                    assertThat(p.execute(() -> "ok")).isEqualTo("ok");
                }
            }
            assertThat(slept).hasSize(200).allSatisfy(d -> assertThat(d).isBetween(Duration.ZERO, profile.max()));
        }
        assertThat(slept.stream().distinct().count()).as("an exponential profile varies").isGreaterThan(100);
    }

    @Test
    void asyncLatency_delaysWithoutBlockingTheCaller() throws Exception {
        FaultInjector<String> injector = FaultInjector.<String>builder("slow-async", armed())
                .latency(LatencyProfile.fixed(Duration.ofMillis(300)));
        injector.start();
        try (ResiliencePipeline<String> p = ResiliencePipeline.<String>builder("p").interceptor(injector).build()) {
            long t0 = System.nanoTime();
            CompletableFuture<String> f = p.executeAsync(() -> CompletableFuture.completedFuture("ok"))
                    .toCompletableFuture();
            long returnedAfter = System.nanoTime() - t0;
            assertThat(f.isDone()).as("completed only after the delay").isFalse();
            assertThat(f.get(5, TimeUnit.SECONDS)).isEqualTo("ok");
            assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(300));
            assertThat(returnedAfter).isLessThan(TimeUnit.MILLISECONDS.toNanos(300));
        }
    }

    @Test
    void hang_isBounded_andEndsAsATimeout() {
        List<Duration> slept = new ArrayList<>();
        FaultInjector<String> injector = FaultInjector.<String>builder("hang", armed()).sleeper(slept::add)
                .hang(Duration.ofSeconds(5));
        injector.start();
        try (ResiliencePipeline<String> p = ResiliencePipeline.<String>builder("p").interceptor(injector).build()) {
            assertThatThrownBy(() -> p.execute(() -> "ok")).isInstanceOf(InjectedFaultException.class)
                    .hasRootCauseInstanceOf(TimeoutException.class)
                    .satisfies(e -> assertThat(Outcomes.defaultClassifier().classify(null, e))
                            .isEqualTo(CallOutcome.TIMEOUT));
        }
        assertThat(slept).containsExactly(Duration.ofSeconds(5));
    }

    @Test
    void realHang_isCutByThePipelinesTimeLimit() {
        FaultInjector<String> injector = FaultInjector.<String>builder("hang", armed()).hang(Duration.ofSeconds(30));
        injector.start();
        try (ResiliencePipeline<String> p = ResiliencePipeline.<String>builder("p").interceptor(injector)
                .timeLimit(Duration.ofMillis(200)).build()) {
            assertThatThrownBy(() -> p.execute(() -> "ok"))
                    .isInstanceOf(io.qudag.resilience.core.pipeline.CallTimeoutException.class);
        }
    }

    @Test
    void jsonRpcError_isTheSdksMcpErrorWithTheCode() {
        FaultInjector<Object> injector = FaultInjector.builder("rpc", armed()).jsonRpcError(-32603, "internal");
        injector.start();
        assertThatThrownBy(() -> injector.beforeAttempt(search)).isInstanceOf(McpError.class)
                .satisfies(e -> assertThat(((McpError) e).getJsonRpcError().code()).isEqualTo(-32603))
                .hasMessageContaining("internal");
    }

    @Test
    void toolErrorResult_answersWithIsErrorWithoutRunningTheTool() {
        FaultInjector<McpSchema.CallToolResult> injector = FaultInjector.<McpSchema.CallToolResult>builder("iserr",
                armed()).toolErrorResult(McpFaults.toolError("injected tool failure"));
        injector.start();
        try (ResiliencePipeline<McpSchema.CallToolResult> p = ResiliencePipeline.<McpSchema.CallToolResult>builder("p")
                .interceptor(injector).build()) {
            McpSchema.CallToolResult r = p.executeToolCall(search, c -> {
                throw new AssertionError("the tool must not run");
            });
            assertThat(r.isError()).isTrue();
            assertThat(((McpSchema.TextContent) r.content().get(0)).text()).isEqualTo("injected tool failure");
        }
    }

    @Test
    void payloadCorruption_dropsAField_changesAType_truncates() throws Exception {
        String original = "{\"id\":7,\"name\":\"alpha\",\"tags\":[\"a\",\"b\",\"c\",\"d\"],\"ok\":true}";
        JsonNode parsed = json.readTree(original);
        for (CorruptionMode mode : CorruptionMode.values()) {
            FaultInjector<String> injector = FaultInjector.<String>builder("corrupt-" + mode, armed()).seed(9)
                    .payloadCorruption(PayloadCodec.text(json), mode);
            injector.start();
            String damaged;
            try (ResiliencePipeline<String> p = ResiliencePipeline.<String>builder("p").interceptor(injector).build()) {
                damaged = p.execute(() -> original);
            }
            assertThat(damaged).as(mode.name()).isNotEqualTo(original);
            switch (mode) {
                case DROP_FIELD -> assertThat(json.readTree(damaged).size()).isEqualTo(parsed.size() - 1);
                case CHANGE_TYPE -> {
                    JsonNode d = json.readTree(damaged);
                    assertThat(d.size()).isEqualTo(parsed.size());
                    assertThat(d.toString()).isNotEqualTo(parsed.toString());
                }
                default -> {
                    assertThat(original).startsWith(damaged);
                    assertThatThrownBy(() -> json.readTree(damaged)).isInstanceOf(java.io.IOException.class);
                }
            }
        }
        // a tree result: truncation cuts a string or array inside it
        FaultInjector<JsonNode> tree = FaultInjector.<JsonNode>builder("tree", armed()).seed(1)
                .payloadCorruption(PayloadCodec.tree(), CorruptionMode.CHANGE_TYPE);
        tree.start();
        assertThat(tree.afterAttempt(search, parsed)).isNotEqualTo(parsed);
        assertThat(parsed.toString()).as("the original result is untouched").isEqualTo(original);
    }

    @Test
    void injectionsAreCountedInMicrometer() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        FaultInjector<String> injector = FaultInjector.<String>builder("metered", armed()).meterRegistry(registry)
                .rate(1.0).exception(() -> new IllegalStateException("x"));
        injector.start();
        hits(injector, 7);
        assertThat(registry.get("qudag.resilience.chaos.injected").tag("injector", "metered")
                .tag("kind", "EXCEPTION").counter().count()).isEqualTo(7.0);
    }

    @Test
    void badDefinitions_failAtBuild_namingFieldAndValue() {
        ChaosSwitch s = armed();
        assertThatThrownBy(() -> FaultInjector.<String>builder("x", s).rate(1.5).exception(IllegalStateException::new))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("rate must be between 0 and 1, was 1.5");
        assertThatThrownBy(() -> FaultInjector.<String>builder("x", s).rate(-0.1).exception(IllegalStateException::new))
                .hasMessage("rate must be between 0 and 1, was -0.1");
        assertThatThrownBy(() -> FaultInjector.<String>builder("x", s).rate(Double.NaN).exception(IllegalStateException::new))
                .hasMessage("rate must be between 0 and 1, was NaN");
        assertThatThrownBy(() -> FaultInjector.<String>builder("x", s).duration(Duration.ZERO)
                .exception(IllegalStateException::new)).hasMessage("duration must be positive, was PT0S");
        assertThatThrownBy(() -> FaultInjector.<String>builder("x", s).duration(Duration.ofSeconds(-1))
                .exception(IllegalStateException::new)).hasMessage("duration must be positive, was PT-1S");
        assertThatThrownBy(() -> FaultInjector.<String>builder("x", s).hang(Duration.ZERO))
                .hasMessage("max must be positive, was PT0S");
        assertThatThrownBy(() -> LatencyProfile.fixed(Duration.ofMillis(-5)))
                .hasMessage("delay must be positive, was PT-0.005S");
        assertThatThrownBy(() -> LatencyProfile.range(Duration.ofMillis(20), Duration.ofMillis(10)))
                .hasMessage("max must not be below min, was PT0.01S < PT0.02S");
        assertThatThrownBy(() -> FaultInjector.<String>builder(" ", s).exception(IllegalStateException::new))
                .hasMessage("name must not be blank, was \" \"");
        assertThatThrownBy(() -> FaultInjector.<String>builder("x", s).payloadCorruption(PayloadCodec.text(json)))
                .hasMessage("modes must name at least one CorruptionMode, was none");
        assertThatThrownBy(() -> FaultInjector.<String>builder("x", s).jsonRpcError(0, "m"))
                .hasMessage("code must be a non-zero JSON-RPC error code, was 0");
    }

    @Test
    void aDisabledInjector_allocatesNothingPerCall() throws Exception {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        ChaosSwitch off = ChaosSwitch.create("off", GUARD_OFF);
        off.enable();
        FaultInjector<String> injector = failing(off, 1.0, 1);
        for (int k = 0; k < 50_000; k++) {
            injector.beforeAttempt(search); // warm up
            injector.afterAttempt(search, "r");
        }
        long tid = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(tid);
        for (int k = 0; k < 100_000; k++) {
            injector.beforeAttempt(search);
            injector.afterAttempt(search, "r");
        }
        long allocated = threads.getThreadAllocatedBytes(tid) - before;
        // One object per call would be at least 16 B x 100,000; a few KiB once (JIT, class loading) is not per call.
        assertThat(allocated).as("bytes allocated by 100,000 disabled calls").isLessThan(100_000);
    }
}
