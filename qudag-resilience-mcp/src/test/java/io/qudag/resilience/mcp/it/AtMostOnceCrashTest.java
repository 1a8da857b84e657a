package io.qudag.resilience.mcp.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.spec.McpSchema;
import io.qudag.resilience.core.pipeline.ResiliencePipeline;
import io.qudag.resilience.core.pipeline.RetryPolicy;
import io.qudag.resilience.mcp.IdempotencyKeys;
import io.qudag.resilience.mcp.McpEndpoint;
import io.qudag.resilience.mcp.McpOutcomes;
import io.qudag.resilience.mcp.ResilientMcpClient;
import io.qudag.resilience.mcp.ResilientMcpClientConfig;
import io.qudag.resilience.mcp.testing.ChildProcess;
import io.qudag.resilience.mcp.testing.SdkServerMain;
import io.qudag.resilience.recovery.Durability;
import io.qudag.resilience.recovery.IdempotencyStore;
import io.qudag.resilience.recovery.Journal;
import io.qudag.resilience.recovery.JournalConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acceptance: 16 callers of a destructive, non-idempotent tool on a real SDK server in a child JVM that
 * deduplicates by idempotency key; the server is SIGKILLed and restarted on the same journal mid-run;
 * callers retry with the same key. Every key ran at most once (the server's side-effect log proves
 * it), every key whose caller got an answer ran exactly once, and every answer is the recorded one.
 * The tool's effect (a line forced to a file) lives outside the journal, so a run the kill cut off is
 * reported unknown and never run again: at most once is the honest guarantee here. For a tool whose
 * effect is committed with its record, the same scenario gives exactly once: {@link ExactlyOnceCrashTest}.
 */
class AtMostOnceCrashTest {

    private static final int CALLERS = 16;

    @TempDir
    Path dir;

    private ChildProcess server;
    private ResilientMcpClient client;
    private Journal clientJournal;
    private ExecutorService pool;

    @AfterEach
    void tearDown() throws Exception {
        if (pool != null) {
            pool.shutdownNow();
        }
        if (client != null) {
            client.close();
        }
        if (clientJournal != null) {
            clientJournal.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private ChildProcess startServer(int port) throws Exception {
        ChildProcess c = ChildProcess.java(SdkServerMain.class, "http", String.valueOf(port),
                dir.resolve("side-effects.log").toString(), "s", dir.resolve("server-journal").toString());
        String line = c.awaitLine(l -> l.startsWith("PORT "), Duration.ofSeconds(60));
        if (!line.equals("PORT " + port)) {
            // another process on this shared machine took the port between the probe and the bind
            c.kill();
            return null;
        }
        return c;
    }

    private static String text(McpSchema.CallToolResult r) {
        return ((McpSchema.TextContent) r.content().get(0)).text();
    }

    @Test
    void sixteenCallersAcrossAServerKill_everyKeyRunsAtMostOnce_answersAreTheRecordedOnes() throws Exception {
        int port = ChildProcess.freePort();
        server = startServer(port);
        for (int i = 0; i < 3 && server == null; i++) {
            port = ChildProcess.freePort();
            server = startServer(port);
        }
        assertThat(server).as("a server bound a free port").isNotNull();
        clientJournal = Journal.open(JournalConfig.builder(dir.resolve("client-journal"))
                .durability(Durability.GROUP_COMMIT).build());
        client = ResilientMcpClient.create(ResilientMcpClientConfig.builder()
                .endpoint(McpEndpoint.http("server", "http://127.0.0.1:" + port + "/mcp").trusted(true).build())
                .initializationTimeout(Duration.ofSeconds(60))
                .pingInterval(Duration.ofMillis(100))
                .callTimeout(Duration.ofSeconds(30))
                .idempotencyStore(IdempotencyStore.open(clientJournal))
                .serversDeduplicate(true)
                .pipelineFactory(id -> ResiliencePipeline.<McpSchema.CallToolResult>builder("amo-" + id)
                        .retry(RetryPolicy.builder().maxAttempts(100).initialBackoff(Duration.ofMillis(100))
                                .maxBackoff(Duration.ofMillis(300)).build())
                        .outcomeClassifier(McpOutcomes.classifier()).build())
                .build());

        Map<String, String> answers = new ConcurrentHashMap<>();
        List<String> keys = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicInteger unknown = new AtomicInteger();
        AtomicInteger replayed = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch warm = new CountDownLatch(CALLERS * 3);
        pool = Executors.newFixedThreadPool(CALLERS);
        List<Future<?>> callers = new ArrayList<>();
        for (int c = 0; c < CALLERS; c++) {
            int caller = c;
            callers.add(pool.submit(() -> {
                for (int n = 0; !stop.get(); n++) {
                    String key = "c" + caller + "-" + n;
                    keys.add(key);
                    McpSchema.CallToolRequest request = new McpSchema.CallToolRequest("transfer",
                            Map.of("id", key, "holdMs", 20), Map.of(IdempotencyKeys.META_KEY, key));
                    McpSchema.CallToolResult r = callWithSameKey(request, key);
                    calls.incrementAndGet();
                    warm.countDown();
                    if (r == null || IdempotencyKeys.STATE_UNKNOWN.equals(IdempotencyKeys.stateOf(r))) {
                        unknown.incrementAndGet();
                    } else {
                        assertThat(r.isError()).as("key %s: %s", key, r).isFalse();
                        answers.put(key, text(r));
                        if (IdempotencyKeys.STATE_REPLAYED.equals(IdempotencyKeys.stateOf(r))) {
                            replayed.incrementAndGet();
                        }
                    }
                }
                return null;
            }));
        }
        assertThat(warm.await(60, TimeUnit.SECONDS)).as("calls are flowing").isTrue();
        int beforeKill = calls.get();
        server.kill();
        server = startServer(port);
        assertThat(server).as("the restarted server bound port %d again", port).isNotNull();
        int afterRestart = calls.get();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60))
                .until(() -> calls.get() >= afterRestart + CALLERS * 3);
        stop.set(true);
        for (Future<?> f : callers) {
            f.get(90, TimeUnit.SECONDS);
        }

        Map<String, List<String>> runs = new HashMap<>();
        for (String line : Files.readAllLines(dir.resolve("side-effects.log"), StandardCharsets.UTF_8)) {
            String[] p = line.split(" ");
            runs.computeIfAbsent(p[1], k -> new ArrayList<>()).add(line);
        }
        System.out.printf("at-most-once: %d keys, %d answered (%d replayed after the restart), %d unknown, "
                        + "%d side effects; %d calls before the kill%n", keys.size(), answers.size(), replayed.get(),
                unknown.get(), runs.values().stream().mapToInt(List::size).sum(), beforeKill);
        for (Map.Entry<String, List<String>> e : runs.entrySet()) {
            assertThat(e.getValue()).as("key %s ran at most once", e.getKey()).hasSize(1);
        }
        for (Map.Entry<String, String> a : answers.entrySet()) {
            assertThat(runs.get(a.getKey())).as("answered key %s ran exactly once", a.getKey()).hasSize(1);
            assertThat(a.getValue()).as("the answer of key %s is the recorded one", a.getKey())
                    .isEqualTo(runs.get(a.getKey()).get(0));
        }
        assertThat(unknown.get()).as("only calls in flight at the kill can be unknown").isLessThanOrEqualTo(CALLERS);
        assertThat(answers.size() + unknown.get()).isEqualTo(keys.size());
        assertThat(answers.size()).isGreaterThan(CALLERS * 6);
    }

    /** Calls; on a failure, asks again under the same key (resolve), a bounded number of times. */
    private McpSchema.CallToolResult callWithSameKey(McpSchema.CallToolRequest request, String key) {
        RuntimeException last = null;
        for (int attempt = 0; attempt < 20; attempt++) {
            try {
                McpSchema.CallToolResult r = attempt == 0 ? client.callTool(request) : client.resolve(key, request);
                if (!IdempotencyKeys.STATE_IN_PROGRESS.equals(IdempotencyKeys.stateOf(r))) {
                    return r;
                }
            } catch (RuntimeException e) {
                last = e;
            }
        }
        System.out.println("key " + key + " gave up: " + last);
        return null;
    }
}
