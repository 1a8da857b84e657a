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
import io.qudag.resilience.mcp.testing.IdempotentClientMain;
import io.qudag.resilience.mcp.testing.SdkServerMain;
import io.qudag.resilience.mcp.testing.TransferLedger;
import io.qudag.resilience.recovery.Durability;
import io.qudag.resilience.recovery.IdempotencyStore;
import io.qudag.resilience.recovery.Journal;
import io.qudag.resilience.recovery.JournalConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acceptance, exactly once: 16 callers of a destructive, non-idempotent <em>transactional</em> tool
 * ("transfer_tx", whose effect is committed with its idempotency record) on a real SDK server in a
 * child JVM; the server is SIGKILLed and restarted on the same journal mid-run, and the callers retry
 * with the same key until answered. Meanwhile a client in a child JVM is SIGKILLed in the middle of
 * its own call of the tool. The ledger that the committed effects build, read back from the server's
 * journal after a final SIGKILL, holds every key exactly once; every caller got the committed answer;
 * no outcome is unknown: the runs the kill cut off before their commit ran again. The killed client's
 * intent is listed after its restart and resolved by one run. (For an ordinary destructive tool the
 * same run gives at most once, see {@link AtMostOnceCrashTest}.) One scenario, so that the child JVMs
 * start only as often as needed.
 */
class ExactlyOnceCrashTest {

    private static final int CALLERS = 16;
    private static final String CRASH_KEY = "key-crash";

    @TempDir
    Path dir;

    private ChildProcess server;
    private ChildProcess clientChild;
    private final List<AutoCloseable> closing = new ArrayList<>();
    private ExecutorService pool;

    @AfterEach
    void tearDown() throws Exception {
        if (pool != null) {
            pool.shutdownNow();
        }
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
        if (clientChild != null) {
            clientChild.close();
        }
        if (server != null) {
            server.close();
        }
    }

    /** A started server, its port, and the keys its store found unresolved at start. */
    private record Started(ChildProcess process, int port, List<String> unresolved) {
    }

    private Started startServer(int port, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("http", String.valueOf(port), "-", "s",
                dir.resolve("server-journal").toString()));
        args.addAll(List.of(extra));
        ChildProcess c = ChildProcess.java(SdkServerMain.class, args.toArray(String[]::new));
        String[] found = c.awaitLine(l -> l.startsWith("UNRESOLVED "), Duration.ofSeconds(60)).split(" ", 3);
        List<String> unresolved = found.length < 3 || found[2].isBlank() ? List.of() : Arrays.asList(found[2].split(","));
        assertThat(unresolved).hasSize(Integer.parseInt(found[1]));
        String line = c.awaitLine(l -> l.startsWith("PORT "), Duration.ofSeconds(60));
        if (!line.equals("PORT " + port)) {
            // another process on this shared machine took the port between the probe and the bind
            c.kill();
            return null;
        }
        return new Started(c, port, unresolved);
    }

    private Started startOnFreePort(String... extra) throws Exception {
        for (int i = 0; i < 4; i++) {
            Started s = startServer(ChildProcess.freePort(), extra);
            if (s != null) {
                return s;
            }
        }
        throw new AssertionError("no server bound a free port");
    }

    private static String url(int port) {
        return "http://127.0.0.1:" + port + "/mcp";
    }

    /** A client with an idempotency store over {@code journalDir}; retrying keyed calls when {@code retrying}. */
    private ResilientMcpClient client(int port, Path journalDir, boolean retrying) {
        Journal journal = Journal.open(JournalConfig.builder(journalDir).durability(Durability.GROUP_COMMIT).build());
        closing.add(journal);
        ResilientMcpClientConfig.Builder b = ResilientMcpClientConfig.builder()
                .endpoint(McpEndpoint.http("server", url(port)).trusted(true).build())
                .initializationTimeout(Duration.ofSeconds(60))
                .pingInterval(Duration.ofMillis(100))
                .callTimeout(Duration.ofSeconds(30))
                .idempotencyStore(IdempotencyStore.open(journal));
        if (retrying) {
            b.serversDeduplicate(true).pipelineFactory(id -> ResiliencePipeline.<McpSchema.CallToolResult>builder("eo-" + id)
                    .retry(RetryPolicy.builder().maxAttempts(100).initialBackoff(Duration.ofMillis(100))
                            .maxBackoff(Duration.ofMillis(300)).build())
                    .outcomeClassifier(McpOutcomes.classifier()).build());
        }
        ResilientMcpClient c = ResilientMcpClient.create(b.build());
        closing.add(c);
        return c;
    }

    private static String text(McpSchema.CallToolResult r) {
        return ((McpSchema.TextContent) r.content().get(0)).text();
    }

    /** The key of a ledger line "transfer <key> <run token>". */
    private static String keyOf(String line) {
        return line.split(" ")[1];
    }

    /** The ledger the committed effects build, read back from the (killed) server's journal. */
    private List<String> ledgerFromJournal() {
        TransferLedger ledger = new TransferLedger();
        try (Journal j = Journal.open(JournalConfig.builder(dir.resolve("server-journal")).build())) {
            IdempotencyStore store = IdempotencyStore.open(j, ledger);
            assertThat(store.unresolved()).as("every intent the server recorded was committed").isEmpty();
        }
        return ledger.lines();
    }

    @Test
    void sixteenCallersAndAKilledClient_acrossAServerKill_everyKeyTakesEffectExactlyOnce() throws Exception {
        long t0 = System.nanoTime();
        // "block": the first server holds the killed client's call until the kill, so the kill cuts it for sure
        Started first = startOnFreePort("block");
        server = first.process();
        int port = first.port();
        Path childClientDir = dir.resolve("child-client");
        clientChild = ChildProcess.java(IdempotentClientMain.class, url(port), childClientDir.toString(), CRASH_KEY,
                "transfer_tx");
        ResilientMcpClient client = client(port, dir.resolve("client-journal"), true);
        long serving = System.nanoTime();

        Map<String, String> answers = new ConcurrentHashMap<>();
        List<String> keys = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger unknown = new AtomicInteger();
        AtomicInteger replayed = new AtomicInteger();
        AtomicInteger retries = new AtomicInteger();
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
                    // holdMs: the run is in progress for a while between intent and commit, where the kill lands
                    McpSchema.CallToolRequest request = new McpSchema.CallToolRequest("transfer_tx",
                            Map.of("id", key, "holdMs", 40), Map.of(IdempotencyKeys.META_KEY, key));
                    McpSchema.CallToolResult r = callUntilAnswered(client, request, key, retries);
                    calls.incrementAndGet();
                    warm.countDown();
                    String state = IdempotencyKeys.stateOf(r);
                    if (IdempotencyKeys.STATE_UNKNOWN.equals(state)) {
                        unknown.incrementAndGet();
                    } else {
                        assertThat(r.isError()).as("key %s: %s", key, r).isFalse();
                        answers.put(key, text(r));
                        if (IdempotencyKeys.STATE_REPLAYED.equals(state)) {
                            replayed.incrementAndGet();
                        }
                    }
                }
                return null;
            }));
        }
        assertThat(warm.await(60, TimeUnit.SECONDS)).as("calls are flowing").isTrue();
        server.awaitLine(l -> l.equals("RUNNING " + CRASH_KEY), Duration.ofSeconds(60));
        int beforeKill = calls.get();
        long kill = System.nanoTime();
        clientChild.kill();
        server.kill();
        Started restarted = startServer(port);
        assertThat(restarted).as("the restarted server bound port %d again", port).isNotNull();
        server = restarted.process();
        long back = System.nanoTime();
        int afterRestart = calls.get();
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> calls.get() >= afterRestart + CALLERS * 3);
        stop.set(true);
        for (Future<?> f : callers) {
            f.get(90, TimeUnit.SECONDS);
        }

        // the killed client, restarted on its journal: the intent is listed, and resolving it runs it once
        ResilientMcpClient restartedClient = client(port, childClientDir, false);
        List<String> listed = restartedClient.unresolvedIntents().stream().map(IdempotencyStore.Entry::key).toList();
        McpSchema.CallToolRequest crashRequest = IdempotentClientMain.request("transfer_tx", CRASH_KEY);
        McpSchema.CallToolResult resolved = restartedClient.resolve(CRASH_KEY, crashRequest);
        McpSchema.CallToolResult resolvedAgain = restartedClient.resolve(CRASH_KEY, crashRequest);

        List<String> live = Arrays.asList(text(client.callTool(McpSchema.CallToolRequest.builder("ledger")
                .arguments(Map.of()).build()))
                .split("\n"));
        server.kill();
        List<String> ledger = ledgerFromJournal();
        Map<String, List<String>> effects = new HashMap<>();
        for (String line : ledger) {
            effects.computeIfAbsent(keyOf(line), k -> new ArrayList<>()).add(line);
        }
        Set<String> cut = new HashSet<>(restarted.unresolved());
        System.out.printf("exactly-once: %d keys, %d answered (%d replayed, %d retried calls), %d unknown, "
                        + "%d effects in the ledger; %d calls before the kill, %d runs cut off by it and run again "
                        + "(the killed client's among them: %b); first server up in %d ms, calls %d ms, kill to "
                        + "restarted %d ms, total %d ms%n",
                keys.size() + 1, answers.size() + (resolved.isError() ? 0 : 1), replayed.get(), retries.get(),
                unknown.get(), ledger.size(), beforeKill, cut.size(), cut.contains(CRASH_KEY),
                (serving - t0) / 1_000_000, (kill - serving) / 1_000_000, (back - kill) / 1_000_000,
                (System.nanoTime() - t0) / 1_000_000);

        assertThat(listed).as("the killed client lists its intent after the restart").containsExactly(CRASH_KEY);
        assertThat(cut).as("the kill cut off the killed client's run between intent and commit").contains(CRASH_KEY);
        assertThat(keys).as("every other key cut off by the kill was issued here").containsAll(
                cut.stream().filter(k -> !k.equals(CRASH_KEY)).toList());
        assertThat(resolved.isError()).as("%s", resolved).isFalse();
        assertThat(IdempotencyKeys.stateOf(resolved)).as("run again, not unknown").isNull();
        assertThat(restartedClient.unresolvedIntents()).isEmpty();
        assertThat(text(resolvedAgain)).as("a repeat gets the recorded answer").isEqualTo(text(resolved));

        assertThat(live).as("the live state equals the state replayed from the journal").isEqualTo(ledger);
        assertThat(unknown).as("no outcome of a transactional tool is unknown").hasValue(0);
        List<String> allKeys = new ArrayList<>(keys);
        allKeys.add(CRASH_KEY);
        assertThat(effects.keySet()).as("every key took effect").containsExactlyInAnyOrderElementsOf(allKeys);
        for (Map.Entry<String, List<String>> e : effects.entrySet()) {
            assertThat(e.getValue()).as("key %s took effect exactly once", e.getKey()).hasSize(1);
        }
        assertThat(answers.keySet()).as("every caller got an answer").containsExactlyInAnyOrderElementsOf(keys);
        for (Map.Entry<String, String> a : answers.entrySet()) {
            assertThat(a.getValue()).as("the answer of key %s is the committed one", a.getKey())
                    .isEqualTo(effects.get(a.getKey()).get(0));
        }
        assertThat(text(resolved)).isEqualTo(effects.get(CRASH_KEY).get(0));
        assertThat(answers.size()).isGreaterThan(CALLERS * 6);
    }

    /** Calls; on a failure or "in progress", asks again under the same key (resolve) until answered. */
    private static McpSchema.CallToolResult callUntilAnswered(ResilientMcpClient client, McpSchema.CallToolRequest request,
            String key, AtomicInteger retries) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        RuntimeException last = null;
        for (int attempt = 0; System.nanoTime() < deadline; attempt++) {
            if (attempt > 0) {
                retries.incrementAndGet();
            }
            try {
                McpSchema.CallToolResult r = attempt == 0 ? client.callTool(request) : client.resolve(key, request);
                if (!IdempotencyKeys.STATE_IN_PROGRESS.equals(IdempotencyKeys.stateOf(r))) {
                    return r;
                }
            } catch (RuntimeException e) {
                last = e;
            }
        }
        throw new AssertionError("key " + key + " got no answer within 90 s", last);
    }
}
