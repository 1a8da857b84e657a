package io.qudag.resilience.mcp.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import io.qudag.resilience.mcp.McpEndpoint;
import io.qudag.resilience.mcp.ResilientMcpClient;
import io.qudag.resilience.mcp.ResilientMcpClientConfig;
import io.qudag.resilience.mcp.testing.ChildProcess;
import io.qudag.resilience.mcp.testing.SdkServerMain;
import io.qudag.resilience.mcp.testing.ServerWarmup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A replica that turns slow without failing: three MCP SDK servers in child JVMs on 127.0.0.1 in one
 * tier, 32 callers of a read-only 200 ms tool; one server's handler is made 5× slower at run time (its
 * {@code slowdown} tool), then fast again. The client's default selector (power of two choices on peak
 * EWMA × in-flight, latency outlier ejection) and the default adaptive hedging must keep the group's
 * p99 within 1.3× of the fast replicas' p99, take the slow replica's share below 10 % within 10 s, and
 * give it its share back once it is fast again.
 */
class SlowReplicaTest {

    private static final List<String> IDS = List.of("a", "b", "c");
    private static final long SECOND = 1_000_000_000L;

    private final Map<String, ChildProcess> servers = new ConcurrentHashMap<>();
    private final Map<String, String> urls = new ConcurrentHashMap<>();
    private ResilientMcpClient client;
    private ExecutorService callers;

    /** One finished call: start (ns), duration (ns), serving endpoint. */
    private record Call(long start, long nanos, String server) {
    }

    @AfterEach
    void tearDown() throws Exception {
        if (callers != null) {
            callers.shutdownNow();
        }
        if (client != null) {
            client.close();
        }
        for (ChildProcess p : servers.values()) {
            p.close();
        }
    }

    private void startServers() throws Exception {
        List<CompletableFuture<Void>> starting = new ArrayList<>();
        for (String id : IDS) {
            starting.add(CompletableFuture.runAsync(() -> {
                try {
                    ChildProcess child = ChildProcess.java(SdkServerMain.class, "http", "0", "-", id);
                    servers.put(id, child);
                    String line = child.awaitLine(l -> l.startsWith("PORT "), Duration.ofSeconds(60));
                    urls.put(id, "http://127.0.0.1:" + line.substring(5).trim() + "/mcp");
                    ServerWarmup.warm(urls.get(id));
                } catch (Exception e) {
                    throw new IllegalStateException("server " + id + " did not start", e);
                }
            }));
        }
        CompletableFuture.allOf(starting.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
    }

    /**
     * Sets the handler delay factor of server {@code id} over a separate bare SDK session; returns how many
     * tool calls the server had started so far (every attempt it received, hedges lost or not).
     */
    private long slowdown(String id, double factor) {
        String url = urls.get(id);
        McpSyncClient bare = McpClient.sync(HttpClientStreamableHttpTransport.builder(url.substring(0,
                url.length() - "/mcp".length())).endpoint("/mcp").build()).requestTimeout(Duration.ofSeconds(10))
                .build();
        try {
            bare.initialize();
            String text = ((McpSchema.TextContent) bare.callTool(McpSchema.CallToolRequest.builder("slowdown")
                    .arguments(Map.of("factor", factor)).build()).content().get(0)).text();
            return Long.parseLong(text.substring(text.indexOf("started=") + "started=".length()).trim());
        } finally {
            bare.close();
        }
    }

    private static long p99(List<Call> calls) {
        long[] d = calls.stream().mapToLong(Call::nanos).sorted().toArray();
        return d.length == 0 ? 0 : d[Math.min(d.length - 1, (int) Math.ceil(0.99 * d.length) - 1)];
    }

    /** Share of {@code server} among the calls started in each second from {@code from} on, in percent. */
    private static double[] sharePerSecond(List<Call> calls, long from, int seconds, String server) {
        long[] all = new long[seconds];
        long[] mine = new long[seconds];
        for (Call c : calls) {
            long k = (c.start() - from) / SECOND;
            if (c.start() >= from && k < seconds) {
                all[(int) k]++;
                mine[(int) k] += server.equals(c.server()) ? 1 : 0;
            }
        }
        double[] share = new double[seconds];
        for (int k = 0; k < seconds; k++) {
            share[k] = all[k] == 0 ? 0 : 100.0 * mine[k] / all[k];
        }
        return share;
    }

    private static String pct(double[] shares) {
        StringBuilder b = new StringBuilder("[");
        for (double s : shares) {
            b.append(b.length() > 1 ? " " : "").append(String.format(Locale.ROOT, "%.1f", s));
        }
        return b.append(']').toString();
    }

    @Test
    void oneReplicaFiveTimesSlower_groupP99Within1_3xOfTheFastReplicas_shareBelow10PercentWithin10s_restoredWhenFast()
            throws Exception {
        startServers();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        ResilientMcpClientConfig.Builder config = ResilientMcpClientConfig.builder().callTimeout(Duration.ofSeconds(20))
                .meterRegistry(meters);
        for (String id : IDS) {
            config.endpoint(McpEndpoint.http(id, urls.get(id)).trusted(true).tier(0).build());
        }
        client = ResilientMcpClient.create(config.build());
        client.async().whenReady().get(30, TimeUnit.SECONDS);

        int callerCount = 32;
        AtomicBoolean stop = new AtomicBoolean();
        ConcurrentLinkedQueue<Call> done = new ConcurrentLinkedQueue<>();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        callers = Executors.newFixedThreadPool(callerCount);
        List<CompletableFuture<Void>> runs = new ArrayList<>();
        for (int i = 0; i < callerCount; i++) {
            runs.add(CompletableFuture.runAsync(() -> {
                while (!stop.get()) {
                    long t0 = System.nanoTime();
                    try {
                        McpSchema.CallToolResult r = client.callTool("sleep", Map.of("ms", 200, "sign", true));
                        String text = ((McpSchema.TextContent) r.content().get(0)).text();
                        done.add(new Call(t0, System.nanoTime() - t0, text.substring(text.lastIndexOf(' ') + 1)));
                    } catch (RuntimeException e) {
                        failures.add(e);
                    }
                }
            }, callers));
        }
        // the slow phase: 30 s with -Dqudag.test.longRuns=true, 14 s in CI (the share must be under 10 % from 10 s on)
        int slowSeconds = Boolean.getBoolean("qudag.test.longRuns") ? 30 : 14;
        long slowAt;
        long fastAt;
        long restoredAt;
        long startedAtSlow;
        long startedAtFast;
        try {
            // 4 s with three fast replicas
            await().pollDelay(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(5)).until(() -> !done.isEmpty());
            startedAtSlow = slowdown("c", 5);
            slowAt = System.nanoTime();
            await().pollDelay(Duration.ofSeconds(slowSeconds)).atMost(Duration.ofSeconds(slowSeconds + 1))
                    .until(() -> !done.isEmpty());
            startedAtFast = slowdown("c", 1);
            fastAt = System.nanoTime();
            // restored: c serves at least 20 % (a fair share is 33 %) of the calls of one second
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
                long now = System.nanoTime();
                List<Call> last = done.stream().filter(c -> c.start() >= Math.max(fastAt, now - 2 * SECOND)
                        && c.start() < now - SECOND).toList();
                return last.size() > 15 && last.stream().filter(c -> c.server().equals("c")).count() * 5 >= last.size();
            });
            restoredAt = System.nanoTime();
        } finally {
            stop.set(true);
        }
        CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

        List<Call> all = new ArrayList<>(done);
        List<Call> slowPhase = all.stream().filter(c -> c.start() >= slowAt && c.start() < fastAt).toList();
        List<Call> fastReplicas = slowPhase.stream().filter(c -> !c.server().equals("c")).toList();
        List<Call> before = all.stream().filter(c -> c.start() < slowAt).toList();
        long groupP99 = p99(slowPhase);
        long fastP99 = p99(fastReplicas);
        // a reference that no hedge touches: the last 2 s before the slowdown, three fast replicas
        long steadyP99 = p99(before.stream().filter(c -> c.start() >= slowAt - 2 * SECOND).toList());
        // attempts the slow replica received in the slow phase (answered, or lost to a hedge and cancelled)
        long reachedSlow = startedAtFast - startedAtSlow;
        double[] shares = sharePerSecond(all, slowAt, slowSeconds, "c");
        int below = slowSeconds;
        while (below > 0 && shares[below - 1] < 10) {
            below--;
        }
        long slowCalls = slowPhase.size() - fastReplicas.size();
        System.out.println(String.format(Locale.ROOT, "MEASURED slow replica (5x, %d callers of a 200 ms tool, tier of 3):"
                + " before: %d calls, p99 %.1f ms; slow phase %d s: %d calls, group p99 %.1f ms, fast replicas' p99"
                + " %.1f ms (ratio %.2f), slow replica served %d (%.2f %%), its share per second %s %%, below 10 %%"
                + " from second %d on; ejections %.0f; restored (>= 20 %% in a second) %.1f s after it was fast again;"
                + " failed %d; attempts that reached the slow replica %d (%.2f %% of the phase's calls); hedges sent"
                + " %.0f, refused %.0f; p99 of the last 2 s before the slowdown %.1f ms (group p99 / that %.2f)",
                callerCount, before.size(), p99(before) / 1e6, slowSeconds, slowPhase.size(),
                groupP99 / 1e6, fastP99 / 1e6, (double) groupP99 / fastP99, slowCalls,
                100.0 * slowCalls / slowPhase.size(), pct(shares), below,
                meters.counter("qudag.resilience.mcp.routing.ejections", "endpoint", "c").count(),
                (restoredAt - fastAt) / 1e9, failures.size(), reachedSlow, 100.0 * reachedSlow / slowPhase.size(),
                meters.counter("qudag.resilience.mcp.retry.budget.spent", "kind", "hedge").count(),
                meters.counter("qudag.resilience.mcp.retry.budget.refused", "kind", "hedge").count(),
                steadyP99 / 1e6, (double) groupP99 / steadyP99));

        assertThat(failures).as("failed calls").isEmpty();
        assertThat(slowPhase.size()).as("calls in the slow phase").isGreaterThan(300);
        // Acceptance: group p99 within 1.3x of the fast replicas' p99. The calls that went to the slow replica
        // before the picker learned it (its first answers, or its first lost hedges) are hedged after the
        // tool's p95 there and answered by a fast replica; they count as that replica's calls, as the client
        // saw them answered. The MEASURED line also prints how many attempts reached the slow replica and
        // the group p99 against the steady p99 before the slowdown (a reference no hedge touches).
        assertThat((double) groupP99 / fastP99).as("group p99 / fast replicas' p99 (%.1f ms / %.1f ms)",
                groupP99 / 1e6, fastP99 / 1e6).isLessThanOrEqualTo(1.3);
        long lateAll = slowPhase.stream().filter(c -> c.start() >= slowAt + 10 * SECOND).count();
        long lateSlow = slowPhase.stream().filter(c -> c.start() >= slowAt + 10 * SECOND && c.server().equals("c"))
                .count();
        assertThat(100.0 * lateSlow / lateAll).as("share of the slow replica from 10 s after it turned slow, %%"
                + " (per second: %s)", pct(shares)).isLessThan(10.0);
        assertThat(meters.counter("qudag.resilience.mcp.routing.ejections", "endpoint", "c").count())
                .as("latency ejections of the slow replica").isGreaterThanOrEqualTo(1.0);
        assertThat(meters.counter("qudag.resilience.mcp.routing.ejections", "endpoint", "a").count()
                + meters.counter("qudag.resilience.mcp.routing.ejections", "endpoint", "b").count())
                .as("ejections of the fast replicas").isZero();
    }
}
