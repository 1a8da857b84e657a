package io.qudag.resilience.mcp.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import io.qudag.resilience.mcp.IdempotencyKeys;
import io.qudag.resilience.mcp.internal.IdempotentRequests;
import io.qudag.resilience.mcp.testing.SdkHttpServer;
import io.qudag.resilience.mcp.testing.TransferLedger;
import io.qudag.resilience.recovery.Durability;
import io.qudag.resilience.recovery.IdempotencyStore;
import io.qudag.resilience.recovery.Journal;
import io.qudag.resilience.recovery.JournalConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Transactional tools on a real SDK server: the effect is committed with the call's idempotency
 * record, so a key runs exactly once, and a key cut off before its commit runs again.
 */
class TransactionalToolsTest {

    @TempDir
    Path dir;

    private SimpleMeterRegistry registry;
    private TransferLedger ledger;
    private Journal journal;
    private IdempotencyStore store;
    private ResilientTools resilient;
    private SdkHttpServer server;
    private McpSyncClient client;

    @AfterEach
    void tearDown() {
        stop();
    }

    private Journal openJournal() {
        return Journal.open(JournalConfig.builder(dir.resolve("journal")).durability(Durability.SYNC).build());
    }

    private void start() throws Exception {
        registry = new SimpleMeterRegistry();
        ledger = new TransferLedger();
        journal = openJournal();
        store = IdempotencyStore.open(journal, ledger);
        resilient = ResilientTools.create(ResilientToolsConfig.builder("tx-server").idempotencyStore(store)
                .meterRegistry(registry).build());
        server = SdkHttpServer.start(0, ledger.specs(resilient));
        client = McpClient.sync(HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + server.port())
                .endpoint("/mcp").build()).requestTimeout(Duration.ofSeconds(20)).build();
        client.initialize();
    }

    private void stop() {
        if (ledger != null) {
            ledger.release.countDown();
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

    private McpSchema.CallToolResult call(String key, Map<String, Object> args) {
        return client.callTool(new McpSchema.CallToolRequest("transfer_tx", args,
                key == null ? null : Map.of(IdempotencyKeys.META_KEY, key)));
    }

    private static String text(McpSchema.CallToolResult r) {
        return ((McpSchema.TextContent) r.content().get(0)).text();
    }

    private double outcome(String outcome) {
        return registry.get("qudag.resilience.mcp.server.idempotent.calls").tags("server", "tx-server", "outcome", outcome)
                .counter().count();
    }

    @Test
    void aKeyCommitsItsEffectOnce_andTheRestartedServerRebuildsTheStateFromTheJournal() throws Exception {
        start();
        McpSchema.CallToolResult first = call("k-1", Map.of("id", "a"));
        assertThat(first.isError()).isFalse();
        assertThat(ledger.lines()).containsExactly(text(first));
        McpSchema.CallToolResult again = call("k-1", Map.of("id", "a"));
        assertThat(text(again)).isEqualTo(text(first));
        assertThat(IdempotencyKeys.stateOf(again)).isEqualTo(IdempotencyKeys.STATE_REPLAYED);
        assertThat(ledger.runs).hasValue(1);
        assertThat(ledger.lines()).hasSize(1);

        stop();
        start();
        assertThat(ledger.lines()).as("replayed from the journal, once").containsExactly(text(first));
        assertThat(text(client.callTool(McpSchema.CallToolRequest.builder("ledger")
                .arguments(Map.of()).build()))).isEqualTo(text(first));
        assertThat(text(call("k-1", Map.of("id", "a")))).isEqualTo(text(first));
        assertThat(ledger.runs).as("the restarted server did not run it again").hasValue(0);
    }

    @Test
    void aKeyCutOffBeforeItsCommitRunsAgain_exactlyOnce() throws Exception {
        Map<String, Object> args = Map.of("id", "z");
        try (Journal j = openJournal()) {
            // what a server SIGKILLed between intent and commit leaves behind
            IdempotencyStore.open(j, new TransferLedger()).beginTransactional("k-cut",
                    IdempotentRequests.requestBytes(McpSchema.CallToolRequest.builder("transfer_tx")
                    .arguments(args).build()));
        }
        start();
        assertThat(store.unresolved()).extracting(IdempotencyStore.Entry::key).containsExactly("k-cut");
        McpSchema.CallToolResult r = call("k-cut", args);
        assertThat(r.isError()).as("%s", r).isFalse();
        assertThat(IdempotencyKeys.stateOf(r)).as("a first answer, not unknown").isNull();
        assertThat(ledger.lines()).containsExactly(text(r));
        assertThat(store.unresolved()).isEmpty();
        assertThat(outcome("resumed")).isEqualTo(1.0);
        McpSchema.CallToolResult again = call("k-cut", args);
        assertThat(text(again)).isEqualTo(text(r));
        assertThat(ledger.runs).hasValue(1);
        assertThat(outcome("replayed")).isEqualTo(1.0);
    }

    @Test
    void aFailedRunCommitsItsErrorWithoutAnEffect_andACallWithoutKeyStillCommits() throws Exception {
        start();
        McpSchema.CallToolResult failed = call("k-fail", Map.of("id", "f", "fail", true));
        assertThat(failed.isError()).isTrue();
        assertThat(text(failed)).contains("insufficient funds");
        assertThat(text(call("k-fail", Map.of("id", "f", "fail", true)))).isEqualTo(text(failed));
        assertThat(ledger.runs).hasValue(1);
        assertThat(ledger.lines()).isEmpty();

        call(null, Map.of("id", "n"));
        call(null, Map.of("id", "n"));
        assertThat(ledger.runs).as("no key: two calls, two runs").hasValue(3);
        assertThat(ledger.lines()).hasSize(2).allMatch(l -> l.startsWith("transfer n "));
        assertThat(store.unresolved()).isEmpty();
        assertThat(outcome("executed")).isEqualTo(3.0);
    }

    @Test
    void aTransactionalToolNeedsAStoreWithEffects() {
        McpSchema.Tool tool = McpSchema.Tool.builder("t", Map.of("type", "object")).build();
        TransactionalToolHandler handler = (ex, req) -> ToolTransaction.noEffect(
                McpSchema.CallToolResult.builder().addTextContent("x").build());
        try (ResilientTools none = ResilientTools.create(ResilientToolsConfig.builder("none").build())) {
            assertThatThrownBy(() -> none.transactional(tool, handler)).isInstanceOf(IllegalStateException.class)
                    .hasMessage("transactional tool 't' needs an idempotencyStore opened with TransactionalEffects "
                            + "(IdempotencyStore.open(journal, effects)) in ResilientToolsConfig 'none', there is none");
        }
        try (Journal j = openJournal();
                ResilientTools plain = ResilientTools.create(ResilientToolsConfig.builder("plain")
                        .idempotencyStore(IdempotencyStore.open(j)).build())) {
            assertThatThrownBy(() -> plain.transactional(tool, handler)).isInstanceOf(IllegalStateException.class)
                    .hasMessageEndingWith("this one has no effects");
        }
        assertThatThrownBy(() -> ToolTransaction.of(null, new byte[1])).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("result must not be null, was null");
    }
}
