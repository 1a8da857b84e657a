package io.qudag.resilience.spring.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.modelcontextprotocol.spec.McpSchema;
import io.qudag.resilience.spring.McpClientGroups;
import io.qudag.resilience.spring.McpEndpointsEndpoint;
import io.qudag.resilience.spring.ResilientMcpToolCallbackProvider;
import io.qudag.resilience.spring.internal.ResilientToolCallback;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.ai.mcp.ToolContextToMcpMetaConverter;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.ToolCallbackProvider;
import org.springframework.ai.tool.execution.ToolExecutionException;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A Spring AI client application with the starter and two real Spring AI MCP servers as one group:
 * the primary is stopped while 16 callers use the tool callbacks; then a fresh application starts with
 * the primary down and picks it up when it starts.
 */
@SpringBootTest(classes = GroupFailoverTest.ClientApp.class, webEnvironment = SpringBootTest.WebEnvironment.NONE)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GroupFailoverTest {

    static TestMcpServer primary;
    static TestMcpServer replica;

    @Autowired
    @Qualifier("mcpToolCallbacks")
    ToolCallbackProvider provider;

    @Autowired
    McpClientGroups groups;

    @Autowired
    MeterRegistry registry;

    @Autowired
    HealthEndpoint health;

    @Autowired
    McpEndpointsEndpoint endpoints;

    @Autowired
    @Qualifier("mcpConnectionsHealthContributor")
    CompositeHealthContributor connectionsHealth;

    @Autowired
    @Qualifier("mcpGroupsHealthContributor")
    CompositeHealthContributor groupsHealth;

    @BeforeAll
    static void startServers() {
        primary = TestMcpServer.start("primary", 0);
        replica = TestMcpServer.start("replica", 0);
    }

    @AfterAll
    static void stopServers() {
        if (primary != null) {
            primary.close();
        }
        if (replica != null) {
            replica.close();
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry r) {
        clientProperties(primary.url(), replica.url()).forEach((k, v) -> r.add(k, () -> v));
    }

    static Map<String, String> clientProperties(String primaryUrl, String replicaUrl) {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        m.put("spring.ai.mcp.client.streamable-http.connections.primary.url", primaryUrl);
        m.put("spring.ai.mcp.client.streamable-http.connections.replica.url", replicaUrl);
        m.put("spring.ai.mcp.server.enabled", "false");
        m.put("qudag.resilience.client.groups.search.connections", "primary,replica");
        m.put("qudag.resilience.client.trusted", "true");
        m.put("qudag.resilience.client.ping-interval", "200ms");
        m.put("qudag.resilience.client.ping-timeout", "3s");
        m.put("qudag.resilience.client.startup-wait", "30s");
        m.put("qudag.resilience.client.call-timeout", "10s");
        m.put("qudag.resilience.client.restart-max-backoff", "500ms");
        m.put("spring.main.banner-mode", "off");
        m.put("management.endpoint.health.probes.enabled", "true");
        m.put("management.endpoint.health.group.readiness.include", "readinessState,mcpGroups");
        return m;
    }

    @Test
    @Order(0)
    void connectionsOfOneTierShareTheCallsByLatency() throws Exception {
        Map<String, String> m = clientProperties(primary.url(), replica.url());
        m.put("qudag.resilience.client.connections.primary.tier", "LOCAL");
        m.put("qudag.resilience.client.connections.replica.tier", "LOCAL");
        String[] props = m.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toArray(String[]::new);
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(ClientApp.class)
                .web(WebApplicationType.NONE).properties(props).run()) {
            McpClientGroups g = app.getBean(McpClientGroups.class);
            await().atMost(Duration.ofSeconds(30)).until(() -> g.groups().get("search").isUp("primary")
                    && g.groups().get("search").isUp("replica"));
            ToolCallback whoami = byName(Arrays.asList(app.getBean("mcpToolCallbacks", ToolCallbackProvider.class)
                    .getToolCallbacks()), "whoami");
            Map<String, AtomicInteger> by = new java.util.concurrent.ConcurrentHashMap<>();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<java.util.concurrent.Future<?>> done = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    done.add(pool.submit(() -> {
                        for (int i = 0; i < 15; i++) {
                            String who = whoami.call("{}");
                            by.computeIfAbsent(who.contains("primary") ? "primary" : "replica",
                                    k -> new AtomicInteger()).incrementAndGet();
                        }
                    }));
                }
                for (java.util.concurrent.Future<?> f : done) {
                    f.get(60, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            System.out.println("MEASURED one tier (LOCAL, LOCAL), 60 calls from 4 threads: " + by);
            assertThat(by.keySet()).as("both connections of the tier answered").containsExactlyInAnyOrder("primary",
                    "replica");
        }
    }

    @Test
    @Order(1)
    void primaryStoppedUnderSixteenCallersNoCallFailsAndHealthShowsIt() throws Exception {
        assertThat(provider).isInstanceOf(ResilientMcpToolCallbackProvider.class);
        await().atMost(Duration.ofSeconds(30)).until(() -> groups.groups().get("search").isUp("primary"));
        List<ToolCallback> callbacks = Arrays.asList(provider.getToolCallbacks());
        assertThat(callbacks).extracting(c -> c.getToolDefinition().name())
                .containsExactlyInAnyOrder("echo", "whoami", "slow", "progress", "increment");
        ToolCallback whoami = byName(callbacks, "whoami");
        ToolCallback increment = byName(callbacks, "increment");
        assertThat(whoami.call("{}")).contains("primary");
        assertThat(increment.call("{}")).contains("1");
        assertThat(primary.tools().increments).hasValue(1);
        TestMcpServer.ServerTools primaryTools = primary.tools();
        TestMcpServer.ServerTools replicaTools = replica.tools();

        int callers = 16;
        int callsEach = 40;
        CountDownLatch warm = new CountDownLatch(callers);
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicInteger byPrimary = new AtomicInteger();
        AtomicInteger byReplica = new AtomicInteger();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            for (int t = 0; t < callers; t++) {
                pool.execute(() -> {
                    for (int i = 0; i < callsEach; i++) {
                        if (i == 5) {
                            warm.countDown();
                        }
                        if (i == 20) {
                            try {
                                stopped.await();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                                return;
                            }
                        }
                        try {
                            String who = whoami.call("{}");
                            (who.contains("primary") ? byPrimary : byReplica).incrementAndGet();
                        } catch (RuntimeException e) {
                            failures.add(e);
                        }
                    }
                });
            }
            assertThat(warm.await(60, TimeUnit.SECONDS)).isTrue();
            primary.close();
            stopped.countDown();
            pool.shutdown();
            assertThat(pool.awaitTermination(120, TimeUnit.SECONDS)).isTrue();
        } finally {
            pool.shutdownNow();
        }
        assertThat(failures).as("failed calls").isEmpty();
        assertThat(byPrimary.get() + byReplica.get()).isEqualTo(callers * callsEach);
        assertThat(byReplica.get()).as("answered by the replica").isPositive();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(status(connectionsHealth, "primary")).isEqualTo(Status.DOWN));
        assertThat(status(connectionsHealth, "replica")).isEqualTo(Status.UP);
        assertThat(status(groupsHealth, "search")).isEqualTo(Status.UP);
        assertThat(health.healthForPath("readiness").getStatus()).as("readiness with one group member down")
                .isEqualTo(Status.UP);
        @SuppressWarnings("unchecked")
        Map<String, Object> search = (Map<String, Object>) endpoints.endpoints().get("search");
        assertThat(search).containsEntry("available", true);
        assertThat((List<Map<String, Object>>) search.get("connections")).extracting(m -> m.get("name") + "=" + m.get("up"))
                .containsExactly("primary=false", "replica=true");
        assertThat(registry.find("qudag.resilience.mcp.calls").tag("endpoint", "replica").timers())
                .as("library meters in Boot's registry").isNotEmpty();

        // a destructive tool goes to the replica once and is never repeated
        assertThat(increment.call("{}")).contains("1");
        assertThat(replicaTools.increments).hasValue(1);
        assertThat(primaryTools.increments).hasValue(1);
    }

    @Test
    @Order(2)
    void startsWithAServerDownUsesTheLiveOneAtOnceAndPicksTheOtherUpWhenItStarts() throws Exception {
        primary.close();
        int port = primary.port();
        Map<String, String> m = clientProperties("http://127.0.0.1:" + port, replica.url());
        // the dead server is also an ungrouped connection of its own: its calls have no replica to move to
        m.put("spring.ai.mcp.client.streamable-http.connections.solo.url", "http://127.0.0.1:" + port);
        // startup waits this long for the group that cannot come up (solo)
        m.put("qudag.resilience.client.startup-wait", "5s");
        String[] props = m.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toArray(String[]::new);
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(ClientApp.class)
                .web(WebApplicationType.NONE).properties(props).run()) {
            ToolCallbackProvider p = app.getBean("mcpToolCallbacks", ToolCallbackProvider.class);
            ToolCallback whoami = byName(Arrays.asList(p.getToolCallbacks()), "whoami");
            String first = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> whoami.call("{}"));
            assertThat(first).contains("replica");
            CompositeHealthContributor conns = app.getBean("mcpConnectionsHealthContributor",
                    CompositeHealthContributor.class);
            CompositeHealthContributor grps = app.getBean("mcpGroupsHealthContributor", CompositeHealthContributor.class);
            assertThat(status(conns, "primary")).isNotEqualTo(Status.UP);
            assertThat(status(conns, "solo")).isNotEqualTo(Status.UP);
            assertThat(status(grps, "search")).isEqualTo(Status.UP);
            assertThat(status(grps, "solo")).isEqualTo(Status.DOWN);
            assertThat(app.getBean(HealthEndpoint.class).healthForPath("readiness").getStatus()).isEqualTo(Status.DOWN);

            // The dead connection's own tool. Its server cannot be listed yet, so the provider has no callback
            // for it (it asks again later); this is the callback the provider makes for it once listed, built
            // from the same server kind's definition of the tool.
            assertThat(Arrays.stream(p.getToolCallbacks()).map(c -> c.getToolDefinition().name()))
                    .doesNotContain("solo_whoami");
            McpSchema.Tool tool;
            try (io.modelcontextprotocol.client.McpSyncClient c = replica.client()) {
                tool = c.listTools().tools().stream().filter(t -> t.name().equals("whoami")).findFirst().orElseThrow();
            }
            ToolCallback soloWhoami = new ResilientToolCallback(app.getBean(McpClientGroups.class).groups().get("solo"),
                    tool, "solo_whoami", ToolContextToMcpMetaConverter.defaultConverter());
            long t0 = System.nanoTime();
            Throwable failed = catchThrowable(() -> soloWhoami.call("{}"));
            long failedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            System.out.println("MEASURED the dead connection's tool failed after " + failedMillis
                    + " ms (call-timeout 10 s): " + failed);
            assertThat(failed).isInstanceOf(ToolExecutionException.class);
            assertThat(failed.getMessage() + " " + failed.getCause()).contains("'solo'").contains("solo=");
            assertThat(failedMillis).as("the dead connection's call fails fast, ms").isLessThan(2_000);

            primary = TestMcpServer.start("primary", port);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(whoami.call("{}")).contains("primary"));
            assertThat(status(conns, "primary")).isEqualTo(Status.UP);
            // the same callback of the dead connection succeeds once its server runs, without a restart; until its
            // own reconnect (its backoff is not the group's) the call fails fast, as above
            await().atMost(Duration.ofSeconds(30)).ignoreExceptionsInstanceOf(ToolExecutionException.class)
                    .untilAsserted(() -> assertThat(soloWhoami.call("{}")).contains("primary"));
            assertThat(status(conns, "solo")).isEqualTo(Status.UP);
            // and the provider lists its tools by itself (a tool offered by two groups is <group>_<tool>)
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(Arrays.stream(p.getToolCallbacks())
                    .map(c -> c.getToolDefinition().name())).contains("solo_whoami", "search_whoami"));
            assertThat(byName(Arrays.asList(p.getToolCallbacks()), "solo_whoami").call("{}")).contains("primary");

            // the whole group gone: the group, and so readiness, goes DOWN
            replica.close();
            primary.close();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(status(grps, "search"))
                    .isEqualTo(Status.DOWN));
            assertThat(app.getBean(HealthEndpoint.class).healthForPath("readiness").getStatus()).isEqualTo(Status.DOWN);
        }
    }

    private static ToolCallback byName(List<ToolCallback> callbacks, String name) {
        List<ToolCallback> found = new ArrayList<>();
        callbacks.stream().filter(c -> c.getToolDefinition().name().equals(name)).forEach(found::add);
        assertThat(found).as(name).hasSize(1);
        return found.get(0);
    }

    private static Status status(CompositeHealthContributor c, String name) {
        return ((HealthIndicator) c.getContributor(name)).health().getStatus();
    }

    /** The client application. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class ClientApp {
    }
}
