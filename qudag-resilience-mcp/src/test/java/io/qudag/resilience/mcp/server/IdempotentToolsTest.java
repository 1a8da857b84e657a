package io.qudag.resilience.mcp.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;


import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.server.McpServerFeatures.AsyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema;
import io.qudag.resilience.mcp.IdempotencyKeys;
import io.qudag.resilience.mcp.internal.IdempotentRequests;
import io.qudag.resilience.mcp.testing.SdkHttpServer;
import io.qudag.resilience.mcp.testing.TestTools;
import io.qudag.resilience.recovery.Durability;
import io.qudag.resilience.recovery.IdempotencyStore;
import io.qudag.resilience.recovery.Journal;
import io.qudag.resilience.recovery.JournalConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;

/** At-most-once tool calls on a real SDK server: a key runs once, also across a server restart. */
class IdempotentToolsTest {

    @TempDir
    Path dir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final AtomicInteger asyncRuns = new AtomicInteger();
    private TestTools tools;
    private Journal journal;
    private IdempotencyStore store;
    private ResilientTools resilient;
    private SdkHttpServer server;
    private McpSyncClient client;

    @AfterEach
    void tearDown() {
        stop();
    }

    private void start(Duration inProgressWait) throws Exception {
        tools = new TestTools();
        journal = Journal.open(JournalConfig.builder(dir.resolve("journal")).durability(Durability.SYNC).build());
        store = IdempotencyStore.open(journal);
        resilient = ResilientTools.create(ResilientToolsConfig.builder("idem-server").idempotencyStore(store)
                .inProgressWait(inProgressWait).meterRegistry(registry).build());
        server = SdkHttpServer.start(0, resilient.decorateAll(tools.specs()));
        server.server().getAsyncServer().addTool(resilient.decorate(new AsyncToolSpecification(
                McpSchema.Tool.builder("transfer_async", Map.of("type", "object"))
                        .annotations(McpSchema.ToolAnnotations.builder().readOnlyHint(false).destructiveHint(true)
                                .idempotentHint(false).build()).build(),
                (ex, req) -> Mono.fromCallable(() -> McpSchema.CallToolResult.builder()
                        .addTextContent("async run " + asyncRuns.incrementAndGet()).isError(false).build()))))
                .block(Duration.ofSeconds(10));
        client = McpClient.sync(HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + server.port())
                .endpoint("/mcp").build()).requestTimeout(Duration.ofSeconds(20)).build();
        client.initialize();
    }

    private void stop() {
        if (tools != null) {
            tools.release.countDown();
        }
        if (client != null) {
            client.close();
            client = null;
        }
        if (server != null) {
            server.close();
            server = null;
        }
        if (resilient != null) {
            resilient.close();
            resilient = null;
        }
        if (journal != null) {
            journal.close();
            journal = null;
        }
    }

    private static McpSchema.CallToolRequest request(String tool, String key, Map<String, Object> args) {
        return new McpSchema.CallToolRequest(tool, args, key == null ? null : Map.of(IdempotencyKeys.META_KEY, key));
    }

    private McpSchema.CallToolResult call(String tool, String key, Map<String, Object> args) {
        return client.callTool(request(tool, key, args));
    }

    private static String text(McpSchema.CallToolResult r) {
        return ((McpSchema.TextContent) r.content().get(0)).text();
    }

    @Test
    void aRepeatedKeyGetsTheRecordedResult_alsoAfterAServerRestart() throws Exception {
        start(Duration.ofSeconds(5));
        McpSchema.CallToolResult first = call("transfer", "k-1", Map.of("id", "a"));
        assertThat(first.isError()).isFalse();
        assertThat(IdempotencyKeys.stateOf(first)).isNull();
        McpSchema.CallToolResult again = call("transfer", "k-1", Map.of("id", "a"));
        assertThat(text(again)).isEqualTo(text(first));
        assertThat(IdempotencyKeys.stateOf(again)).isEqualTo(IdempotencyKeys.STATE_REPLAYED);
        assertThat(tools.destroyCount).as("the handler ran once").hasValue(1);

        stop();
        start(Duration.ofSeconds(5));
        McpSchema.CallToolResult afterRestart = call("transfer", "k-1", Map.of("id", "a"));
        assertThat(text(afterRestart)).isEqualTo(text(first));
        assertThat(IdempotencyKeys.stateOf(afterRestart)).isEqualTo(IdempotencyKeys.STATE_REPLAYED);
        assertThat(tools.destroyCount).as("the restarted server did not run it again").hasValue(0);
        assertThat(call("transfer", "k-2", Map.of("id", "a")).isError()).isFalse();
        assertThat(tools.destroyCount).as("a fresh key runs").hasValue(1);
    }

    @Test
    void aKeyReusedForADifferentRequestIsRefused() throws Exception {
        start(Duration.ofSeconds(5));
        call("transfer", "k-1", Map.of("id", "a"));
        McpSchema.CallToolResult other = call("transfer", "k-1", Map.of("id", "b"));
        assertThat(other.isError()).isTrue();
        assertThat(text(other)).contains("idempotency key 'k-1' was already used for a different request");
        assertThat(tools.destroyCount).hasValue(1);
    }

    @Test
    void callsWithoutKeyAndSafeToolsAreNotRecorded() throws Exception {
        start(Duration.ofSeconds(5));
        call("transfer", null, Map.of("id", "a"));
        call("transfer", null, Map.of("id", "a"));
        assertThat(tools.destroyCount).as("no key, no deduplication").hasValue(2);
        call("read", "k-read", Map.of());
        call("read", "k-read", Map.of());
        assertThat(tools.readCount).as("a read-only tool may repeat").hasValue(2);
        assertThat(store.lookup("k-read")).isEmpty();
        assertThat(store.unresolved()).isEmpty();
    }

    @Test
    void aRepeatOfARunningKeyWaitsForIt_orIsToldItIsInProgress() throws Exception {
        start(Duration.ofMillis(300));
        CompletableFuture<McpSchema.CallToolResult> first =
                CompletableFuture.supplyAsync(() -> call("transfer", "k-run", Map.of("id", "a", "block", true)));
        await().atMost(Duration.ofSeconds(20)).until(() -> tools.destroyCount.get() == 1);
        McpSchema.CallToolResult busy = call("transfer", "k-run", Map.of("id", "a", "block", true));
        assertThat(busy.isError()).isTrue();
        assertThat(IdempotencyKeys.stateOf(busy)).isEqualTo(IdempotencyKeys.STATE_IN_PROGRESS);
        assertThat(text(busy)).contains("'k-run' is in progress");

        CompletableFuture<McpSchema.CallToolResult> waiting = CompletableFuture.supplyAsync(
                () -> call("transfer", "k-run", Map.of("id", "a", "block", true)));
        tools.release.countDown();
        McpSchema.CallToolResult done = first.get(20, TimeUnit.SECONDS);
        McpSchema.CallToolResult waited = waiting.get(20, TimeUnit.SECONDS);
        assertThat(text(waited)).isIn(text(done), text(busy));
        assertThat(text(call("transfer", "k-run", Map.of("id", "a", "block", true)))).isEqualTo(text(done));
        assertThat(tools.destroyCount).hasValue(1);
    }

    @Test
    void aKeyInterruptedByACrashIsReportedUnknownAndNeverRunAgain() throws Exception {
        Map<String, Object> args = new HashMap<>(Map.of("id", "z"));
        try (Journal j = Journal.open(JournalConfig.builder(dir.resolve("journal")).durability(Durability.SYNC).build())) {
            // what a server SIGKILLed between intent and result leaves behind
            IdempotencyStore.open(j).begin("k-crash", IdempotentRequests.requestBytes(
                    McpSchema.CallToolRequest.builder("transfer").arguments(args).build()));
        }
        start(Duration.ofSeconds(5));
        assertThat(store.unresolved()).extracting(IdempotencyStore.Entry::key).containsExactly("k-crash");
        McpSchema.CallToolResult r = call("transfer", "k-crash", args);
        assertThat(r.isError()).isTrue();
        assertThat(IdempotencyKeys.stateOf(r)).isEqualTo(IdempotencyKeys.STATE_UNKNOWN);
        assertThat(text(r)).contains("outcome is unknown");
        assertThat(tools.destroyCount).hasValue(0);
    }

    @Test
    void concurrentRepeatsOfOneKeyRunItOnce() throws Exception {
        start(Duration.ofSeconds(10));
        List<CompletableFuture<McpSchema.CallToolResult>> calls = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            calls.add(CompletableFuture.supplyAsync(() -> call("transfer", "k-many", Map.of("id", "m", "holdMs", 200))));
        }
        List<String> texts = new ArrayList<>();
        for (CompletableFuture<McpSchema.CallToolResult> c : calls) {
            texts.add(text(c.get(30, TimeUnit.SECONDS)));
        }
        assertThat(tools.destroyCount).hasValue(1);
        assertThat(texts).as("every caller got the one recorded answer").containsOnly(texts.get(0));
        assertThat(registry.get("qudag.resilience.mcp.server.idempotent.calls")
                .tags("server", "idem-server", "outcome", "executed").counter().count()).isEqualTo(1.0);
        assertThat(registry.get("qudag.resilience.mcp.server.idempotent.calls")
                .tags("server", "idem-server", "outcome", "replayed").counter().count()).isEqualTo(7.0);
    }

    @Test
    void asyncToolsAreDeduplicatedToo() throws Exception {
        start(Duration.ofSeconds(5));
        McpSchema.CallToolResult first = call("transfer_async", "k-async", Map.of());
        McpSchema.CallToolResult again = call("transfer_async", "k-async", Map.of());
        assertThat(text(first)).isEqualTo("async run 1");
        assertThat(text(again)).isEqualTo("async run 1");
        assertThat(IdempotencyKeys.stateOf(again)).isEqualTo(IdempotencyKeys.STATE_REPLAYED);
        assertThat(asyncRuns).hasValue(1);
    }

    @Test
    void inProgressWaitIsValidated() {
        assertThatThrownBy(() -> ResilientToolsConfig.builder("s").inProgressWait(Duration.ofMillis(-1)).build())
                .hasMessage("inProgressWait must be >= 0, was PT-0.001S");
    }
}
