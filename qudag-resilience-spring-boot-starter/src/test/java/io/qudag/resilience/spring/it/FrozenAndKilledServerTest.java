package io.qudag.resilience.spring.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.modelcontextprotocol.spec.McpSchema;
import io.qudag.resilience.mcp.McpEndpoint;
import io.qudag.resilience.mcp.ResilientMcpAsyncClient;
import io.qudag.resilience.mcp.ResilientMcpClientConfig;
import io.qudag.resilience.spring.McpClientGroups;
import io.qudag.resilience.spring.internal.ResilientToolCallback;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.LoggerFactory;
import org.springframework.ai.chat.model.ToolContext;
import org.springframework.ai.mcp.annotation.McpProgress;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.ToolCallbackProvider;
import org.springframework.ai.tool.execution.ToolExecutionException;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * Gray and crash failures through Spring: a Spring AI MCP server in a child JVM is frozen (SIGSTOP) and
 * later killed (SIGKILL) while progress-streaming calls run through the starter's tool callbacks. The
 * server is connected twice: as the primary of the group {@code search} (replica: an in-process Spring AI
 * server) and as the ungrouped connection {@code solo}. Grouped calls move to the replica and succeed,
 * the solo calls fail, all of them within a few seconds, not at Spring AI's 20 s request timeout nor at
 * the 60 s call deadline; each failed call logs one line without a stack trace. The same calls run at the
 * same time through the library's own clients, built directly with the same settings over the same servers
 * (one over primary and replica, one over the primary alone): the starter's calls end no later than theirs
 * plus {@link #MARGIN_MILLIS} (for a frozen server, plus the amount by which the starter connection's learned
 * liveness timeout exceeded the library connection's at the fault).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FrozenAndKilledServerTest {

    private static final int CALLS = 8;
    /** The primary works 150 ms per step: 100 steps outlast every fault; the replica does not wait between steps. */
    private static final int STEPS = 100;
    /**
     * Bound of an in-flight call's end (or move to the replica) after the fault: below Spring AI's 20 s
     * request timeout. On a quiet machine the library finds a frozen server in about 1.5 s; this shared
     * 2-core machine runs at load averages of 20 to 60, which stretches it to 2 to 10 s (the figures are
     * printed as MEASURED lines).
     */
    private static final long BOUND_MILLIS = 12_000;
    /**
     * How much later than the library's own client the starter's calls may end (the same engine underneath):
     * 1 s, plus half the library's own figure for the scheduling jitter of two independent clients on a loaded
     * machine (measured: within 0.1 s of each other at a load average of 30, up to 4 s apart, either way, at 55).
     */
    private static final long MARGIN_MILLIS = 1_000;
    private static final double JITTER_SHARE = 0.5;

    private ChildJvm primary;
    private TestMcpServer replica;
    private ConfigurableApplicationContext app;
    private ExecutorService callers;
    private ToolCallback grouped;
    private ToolCallback solo;
    /** The library's own clients, built directly with the same settings: over primary and replica, and primary alone. */
    private ResilientMcpAsyncClient libGrouped;
    private ResilientMcpAsyncClient libSolo;
    private final Set<Object> libSeen = ConcurrentHashMap.newKeySet();

    @BeforeAll
    void start() throws Exception {
        primary = ChildJvm.start(TestMcpServer.class, "primary", "test.server.step-millis=150");
        replica = TestMcpServer.start("replica", 0, "test.server.step-millis=0");
        String port = primary.awaitLine(l -> l.startsWith("PORT "), Duration.ofSeconds(120)).substring(5).trim();
        String primaryUrl = "http://127.0.0.1:" + port;
        Map<String, String> m = new LinkedHashMap<>();
        m.put("spring.ai.mcp.client.streamable-http.connections.primary.url", primaryUrl);
        m.put("spring.ai.mcp.client.streamable-http.connections.replica.url", replica.url());
        m.put("spring.ai.mcp.client.streamable-http.connections.solo.url", primaryUrl);
        m.put("spring.ai.mcp.server.enabled", "false");
        m.put("qudag.resilience.client.groups.search.connections", "primary,replica");
        m.put("qudag.resilience.client.trusted", "true");
        m.put("qudag.resilience.client.ping-interval", "200ms");
        m.put("qudag.resilience.client.ping-timeout", "5s");
        // the shared 2-core test machine (load averages up to ~50) pauses a C1-only child JVM for a second
        // and more at times; a shorter floor then suspects a live server
        m.put("qudag.resilience.client.liveness-timeout-floor", "2500ms");
        m.put("qudag.resilience.client.call-timeout", "60s");
        m.put("qudag.resilience.client.startup-wait", "60s");
        m.put("qudag.resilience.client.restart-max-backoff", "500ms");
        m.put("spring.main.banner-mode", "off");
        app = new SpringApplicationBuilder(ClientApp.class).web(WebApplicationType.NONE)
                .properties(m.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toArray(String[]::new))
                .run();
        ToolCallbackProvider provider = app.getBean("mcpToolCallbacks", ToolCallbackProvider.class);
        List<ToolCallback> callbacks = Arrays.asList(provider.getToolCallbacks());
        grouped = byName(callbacks, "search_progress");
        solo = byName(callbacks, "solo_progress");
        callers = Executors.newFixedThreadPool(2 * CALLS);
        libGrouped = ResilientMcpAsyncClient.create(libConfig(List.of(
                McpEndpoint.http("lib-primary", primaryUrl + "/mcp").trusted(true).build(),
                McpEndpoint.http("lib-replica", replica.url() + "/mcp").trusted(true).build())));
        libSolo = ResilientMcpAsyncClient.create(libConfig(List.of(
                McpEndpoint.http("lib-solo", primaryUrl + "/mcp").trusted(true).build())));
        // warm the child's code paths (it runs C1 only) before any fault: until a whole burst succeeds
        McpClientGroups groups = app.getBean(McpClientGroups.class);
        await().atMost(Duration.ofSeconds(120)).ignoreExceptions().until(() -> {
            await().atMost(Duration.ofSeconds(30)).until(() -> groups.groups().get("search").isUp("primary")
                    && groups.groups().get("solo").isUp("solo"));
            libGrouped.whenReady().get(30, TimeUnit.SECONDS);
            libSolo.whenReady().get(30, TimeUnit.SECONDS);
            List<CompletableFuture<String>> warm = new ArrayList<>();
            for (int i = 0; i < 2 * CALLS; i++) {
                ToolCallback c = i % 2 == 0 ? grouped : solo;
                warm.add(CompletableFuture.supplyAsync(() -> c.call("{\"steps\":2}"), callers));
                warm.add(libCall(i % 2 == 0 ? libGrouped : libSolo, 2, null));
            }
            for (CompletableFuture<String> f : warm) {
                assertThat(f.get(30, TimeUnit.SECONDS)).contains("primary did 2 steps");
            }
            return true;
        });
    }

    @AfterAll
    void stop() throws Exception {
        if (callers != null) {
            callers.shutdownNow();
        }
        if (libGrouped != null) {
            libGrouped.close();
        }
        if (libSolo != null) {
            libSolo.close();
        }
        if (app != null) {
            app.close();
        }
        if (replica != null) {
            replica.close();
        }
        if (primary != null) {
            primary.close();
        }
    }

    @Test
    @Order(1)
    void frozenServer_groupedCallsMoveToTheReplica_soloCallsFailFast_oneLogLineEach() throws Exception {
        Faulted r;
        try {
            r = runFault("freeze", () -> primary.freeze());
        } finally {
            primary.thaw();
        }
        r.report("frozen server (SIGSTOP)");
        r.assertEndedFastAndMoved();
        r.assertNotSlowerThanTheLibrary();

        McpClientGroups groups = app.getBean(McpClientGroups.class);
        await().atMost(Duration.ofSeconds(30)).until(() -> groups.groups().get("search").isUp("primary")
                && groups.groups().get("solo").isUp("solo"));
        // the primary serves again; its first calls after the thaw may be hedged to the replica and answered
        // there (the thawed server catches up on its backlog first), so wait for one the primary answers
        await().atMost(Duration.ofSeconds(30)).until(() -> grouped.call("{\"steps\":1}").contains("primary did 1 steps"));
        // the ungrouped connection's breaker counted the failed calls and opens for a while: wait it out, so the
        // next test starts from a closed breaker
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                .until(() -> solo.call("{\"steps\":1}").contains("primary did 1 steps"));
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                .until(() -> libCall(libSolo, 1, null).get(30, TimeUnit.SECONDS).contains("primary did 1 steps"));
    }

    @Test
    @Order(2)
    void killedServer_groupedCallsMoveToTheReplica_soloCallsFailFast_oneLogLineEach_healthShowsIt()
            throws Exception {
        Faulted r = runFault("kill", () -> primary.kill());
        r.report("killed server (SIGKILL)");
        r.assertEndedFastAndMoved();
        r.assertNotSlowerThanTheLibrary();

        CompositeHealthContributor conns = app.getBean("mcpConnectionsHealthContributor",
                CompositeHealthContributor.class);
        CompositeHealthContributor grps = app.getBean("mcpGroupsHealthContributor", CompositeHealthContributor.class);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(status(conns, "primary")).isEqualTo(Status.DOWN));
        assertThat(status(grps, "search")).isEqualTo(Status.UP);
        assertThat(status(grps, "solo")).isEqualTo(Status.DOWN);
    }

    interface Fault {
        void inject() throws Exception;
    }

    private record Faulted(long[] movedMillis, long[] groupedMillis, List<Object> groupedOutcomes, long[] soloMillis,
            List<Object> soloOutcomes, List<ILoggingEvent> logs, long[] libMovedMillis, List<Object> libGroupedOutcomes,
            long[] libSoloMillis, List<Object> libSoloOutcomes, boolean silent, double[] timeouts) {

        void report(String what) {
            long withStack = logs.stream().filter(e -> e.getThrowableProxy() != null).count();
            System.out.println("MEASURED " + what + " through Spring: grouped calls reached the replica (ms after the"
                    + " fault) " + Arrays.toString(movedMillis) + ", ended " + Arrays.toString(groupedMillis)
                    + "; solo calls failed (ms) " + Arrays.toString(soloMillis) + "; log events " + logs.size()
                    + ", with a stack trace " + withStack);
            System.out.println("MEASURED " + what + " through the library's own client: grouped calls reached the"
                    + " replica (ms after the fault) " + Arrays.toString(libMovedMillis) + "; solo calls failed (ms) "
                    + Arrays.toString(libSoloMillis));
            System.out.println("MEASURED " + what + " slowest, starter vs library: grouped moved "
                    + max(movedMillis) + " vs " + max(libMovedMillis) + " ms, solo failed " + max(soloMillis) + " vs "
                    + max(libSoloMillis) + " ms (load average " + loadAverage() + "); liveness timeouts at the fault,"
                    + " starter primary/solo vs library primary/solo: " + Arrays.toString(timeouts) + " ms");
        }

        /** The starter's calls end no later than the library's own client ends the same calls, within a margin. */
        void assertNotSlowerThanTheLibrary() {
            assertThat(libGroupedOutcomes).as("library client, grouped calls: all answered by the replica")
                    .allSatisfy(o -> assertThat(o).isInstanceOf(String.class).asString()
                            .contains("replica did " + STEPS + " steps"));
            assertThat(libSoloOutcomes).as("library client, solo calls: failed").allSatisfy(o ->
                    assertThat(o).isInstanceOf(Throwable.class));
            // A silent server is found when its silence outlasts the connection's liveness timeout, which each
            // connection learns from its own ping round trips: a starter connection that happened to learn a
            // longer one than the library's may take that much longer, and no more.
            long groupedSlack = silent ? Math.max(0, Math.round(timeouts[0] - timeouts[2])) : 0;
            long soloSlack = silent ? Math.max(0, Math.round(timeouts[1] - timeouts[3])) : 0;
            assertThat(max(movedMillis)).as("slowest move to the replica: starter vs the library's own client, ms")
                    .isLessThanOrEqualTo(allowed(max(libMovedMillis), groupedSlack));
            assertThat(max(soloMillis)).as("slowest failed solo call: starter vs the library's own client, ms")
                    .isLessThanOrEqualTo(allowed(max(libSoloMillis), soloSlack));
        }

        private static long allowed(long library, long slack) {
            return library + MARGIN_MILLIS + Math.round(JITTER_SHARE * library) + slack;
        }

        void assertEndedFastAndMoved() {
            assertThat(groupedOutcomes).as("grouped calls: all answered by the replica")
                    .allSatisfy(o -> assertThat(o).isInstanceOf(String.class).asString()
                            .contains("replica did " + STEPS + " steps"));
            assertThat(soloOutcomes).as("ungrouped calls: failed, naming the connection").allSatisfy(o ->
                    assertThat(o).isInstanceOfSatisfying(ToolExecutionException.class,
                            e -> assertThat(e.getMessage() + e.getCause()).contains("solo")));
            assertThat(Arrays.stream(movedMillis).max().orElseThrow())
                    .as("slowest move of a grouped call to the replica after the fault, ms").isLessThan(BOUND_MILLIS);
            // (their end adds the replica's own work, which says nothing about how fast the fault was found)
            assertThat(Arrays.stream(soloMillis).max().orElseThrow()).as("slowest failed call after the fault, ms")
                    .isLessThan(BOUND_MILLIS);
            assertThat(Arrays.stream(soloMillis).min().orElseThrow()).as("first failed call, ms after the fault")
                    .isNotNegative();
            List<ILoggingEvent> failureLines = logs.stream()
                    .filter(e -> e.getLoggerName().equals(ResilientToolCallback.class.getName())).toList();
            assertThat(failureLines).as("one line per failed call").hasSize(CALLS)
                    .allSatisfy(e -> {
                        assertThat(e.getFormattedMessage()).contains("progress").contains("solo");
                        assertThat(e.getThrowableProxy()).as("stack trace of %s", e.getFormattedMessage()).isNull();
                    });
            assertThat(logs).as("no log event carries a stack trace")
                    .allSatisfy(e -> assertThat(e.getThrowableProxy()).as(e.getLoggerName() + ": "
                            + e.getFormattedMessage()).isNull());
        }
    }

    private Faulted runFault(String name, Fault fault) throws Exception {
        ProgressSeen seen = app.getBean(ProgressSeen.class);
        seen.tokens.clear();
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        Logger root = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        appender.start();
        root.addAppender(appender);
        List<CompletableFuture<Object>> g = new ArrayList<>();
        List<CompletableFuture<Object>> s = new ArrayList<>();
        long[] gEnd = new long[CALLS];
        long[] sEnd = new long[CALLS];
        libSeen.clear();
        List<CompletableFuture<Object>> lg = new ArrayList<>();
        List<CompletableFuture<Object>> ls = new ArrayList<>();
        long[] lsEnd = new long[CALLS];
        for (int i = 0; i < CALLS; i++) {
            g.add(call(grouped, name + "-g" + i, gEnd, i));
            s.add(call(solo, name + "-s" + i, sEnd, i));
            lg.add(libCall(libGrouped, STEPS, name + "-lg" + i).handle((r, e) -> r != null ? r : e));
            int k = i;
            ls.add(libCall(libSolo, STEPS, name + "-ls" + i).handle((r, e) -> {
                lsEnd[k] = System.nanoTime();
                return r != null ? r : e;
            }));
        }
        // every call is streaming (its progress reached the application's @McpProgress handler, or the library
        // client's progress consumer) before the fault
        await().atMost(Duration.ofSeconds(60)).until(() -> seen.tokens.size() >= 2 * CALLS
                && libSeen.size() >= 2 * CALLS);
        McpClientGroups groups = app.getBean(McpClientGroups.class);
        double[] timeouts = {groups.groups().get("search").health("primary").livenessTimeoutMillis(),
                groups.groups().get("solo").health("solo").livenessTimeoutMillis(),
                libGrouped.health("lib-primary").livenessTimeoutMillis(),
                libSolo.health("lib-solo").livenessTimeoutMillis()};
        long faultAt;
        List<Object> gOut = new ArrayList<>();
        List<Object> sOut = new ArrayList<>();
        List<Object> lgOut = new ArrayList<>();
        List<Object> lsOut = new ArrayList<>();
        try {
            faultAt = System.nanoTime();
            fault.inject();
            for (int i = 0; i < CALLS; i++) {
                gOut.add(g.get(i).get(30, TimeUnit.SECONDS));
                sOut.add(s.get(i).get(30, TimeUnit.SECONDS));
                lgOut.add(lg.get(i).get(30, TimeUnit.SECONDS));
                lsOut.add(ls.get(i).get(30, TimeUnit.SECONDS));
            }
        } finally {
            root.detachAppender(appender);
        }
        List<ILoggingEvent> lines;
        synchronized (appender) { // an append still in flight holds this lock
            lines = List.copyOf(appender.list);
        }
        return new Faulted(moved(name + "-g", faultAt), millis(gEnd, faultAt), gOut, millis(sEnd, faultAt), sOut,
                lines, moved(name + "-lg", faultAt), lgOut, millis(lsEnd, faultAt), lsOut,
                name.equals("freeze"), timeouts);
    }

    /** When the replica started each moved call, in ms after the fault. */
    private long[] moved(String tokenPrefix, long faultAt) {
        long[] moved = new long[CALLS];
        for (int i = 0; i < CALLS; i++) {
            Long at = replica.tools().progressStarted.get(tokenPrefix + i);
            moved[i] = at == null ? Long.MAX_VALUE : TimeUnit.NANOSECONDS.toMillis(at - faultAt);
        }
        return moved;
    }

    /** The library client's settings, the same as the starter's properties in {@link #start()}. */
    private ResilientMcpClientConfig libConfig(List<McpEndpoint> endpoints) {
        return ResilientMcpClientConfig.builder().endpoints(endpoints).pingInterval(Duration.ofMillis(200))
                .pingTimeout(Duration.ofSeconds(5)).livenessTimeoutFloor(Duration.ofMillis(2500))
                .callTimeout(Duration.ofSeconds(60)).restartBackoff(Duration.ofMillis(100), Duration.ofMillis(500))
                .progressConsumer(n -> libSeen.add(n.progressToken())).build();
    }

    /** A progress-streaming call through a library client; {@code token} null: no progress. */
    private CompletableFuture<String> libCall(ResilientMcpAsyncClient client, int steps, String token) {
        McpSchema.CallToolRequest.Builder r = McpSchema.CallToolRequest.builder("progress")
                .arguments(Map.of("steps", steps));
        if (token != null) {
            r.meta(Map.of("progressToken", token));
        }
        return client.callTool(r.build()).thenApply(res -> {
            if (Boolean.TRUE.equals(res.isError())) {
                throw new IllegalStateException("error result " + res.content());
            }
            return ((McpSchema.TextContent) res.content().get(0)).text();
        });
    }

    private static long max(long[] values) {
        return Arrays.stream(values).max().orElseThrow();
    }

    private static String loadAverage() {
        return String.format(java.util.Locale.ROOT, "%.1f",
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    private CompletableFuture<Object> call(ToolCallback c, String token, long[] endedAt, int i) {
        return CompletableFuture.supplyAsync(() -> {
            Object out;
            try {
                out = c.call("{\"steps\":" + STEPS + "}", new ToolContext(Map.of("progressToken", token)));
            } catch (RuntimeException e) {
                out = e;
            }
            endedAt[i] = System.nanoTime();
            return out;
        }, callers);
    }

    private static long[] millis(long[] ends, long from) {
        return Arrays.stream(ends).map(t -> TimeUnit.NANOSECONDS.toMillis(t - from)).toArray();
    }

    private static ToolCallback byName(List<ToolCallback> callbacks, String name) {
        List<ToolCallback> found = callbacks.stream().filter(c -> c.getToolDefinition().name().equals(name)).toList();
        assertThat(found).as("%s among %s", name, callbacks).hasSize(1);
        return found.get(0);
    }

    private static Status status(CompositeHealthContributor c, String name) {
        return ((HealthIndicator) c.getContributor(name)).health().getStatus();
    }

    /** The application's progress handler (Spring AI's {@code @McpProgress}). */
    static class ProgressSeen {
        final Set<Object> tokens = ConcurrentHashMap.newKeySet();

        @McpProgress(clients = {"primary", "replica", "solo"})
        public void onProgress(McpSchema.ProgressNotification n) {
            tokens.add(n.progressToken());
        }
    }

    /** The client application. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class ClientApp {
        @Bean
        ProgressSeen progressSeen() {
            return new ProgressSeen();
        }
    }
}
