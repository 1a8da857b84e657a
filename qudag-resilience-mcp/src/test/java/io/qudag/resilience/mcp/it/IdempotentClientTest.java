package io.qudag.resilience.mcp.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.modelcontextprotocol.spec.McpSchema;
import io.qudag.resilience.mcp.IdempotencyKeys;
import io.qudag.resilience.mcp.McpDeadlineExceededException;
import io.qudag.resilience.mcp.McpEndpoint;
import io.qudag.resilience.mcp.ResilientMcpClient;
import io.qudag.resilience.mcp.ResilientMcpClientConfig;
import io.qudag.resilience.mcp.server.ResilientTools;
import io.qudag.resilience.mcp.server.ResilientToolsConfig;
import io.qudag.resilience.mcp.testing.ChildProcess;
import io.qudag.resilience.mcp.testing.IdempotentClientMain;
import io.qudag.resilience.mcp.testing.SdkHttpServer;
import io.qudag.resilience.mcp.testing.TestTools;
import io.qudag.resilience.recovery.Durability;
import io.qudag.resilience.recovery.IdempotencyStore;
import io.qudag.resilience.recovery.Journal;
import io.qudag.resilience.recovery.JournalConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client side of at-most-once calls against a real SDK server that deduplicates: intents and
 * results are recorded, an unknown outcome is listed and never re-sent by itself, resolve asks the server.
 */
class IdempotentClientTest {

    @TempDir
    Path dir;

    private final TestTools tools = new TestTools();
    private Journal serverJournal;
    private ResilientTools resilient;
    private SdkHttpServer server;
    private Journal clientJournal;
    private ResilientMcpClient client;
    private ChildProcess child;

    @BeforeEach
    void startServer() throws Exception {
        serverJournal = Journal.open(JournalConfig.builder(dir.resolve("server")).durability(Durability.SYNC).build());
        resilient = ResilientTools.create(ResilientToolsConfig.builder("idem-server")
                .idempotencyStore(IdempotencyStore.open(serverJournal)).build());
        server = SdkHttpServer.start(0, resilient.decorateAll(tools.specs()));
    }

    @AfterEach
    void tearDown() throws Exception {
        if (child != null) {
            child.close();
        }
        tools.release.countDown();
        stopClient();
        server.close();
        resilient.close();
        serverJournal.close();
    }

    private ResilientMcpClient startClient(Duration callTimeout) {
        clientJournal = Journal.open(JournalConfig.builder(dir.resolve("client")).durability(Durability.SYNC).build());
        client = ResilientMcpClient.create(ResilientMcpClientConfig.builder()
                .endpoint(McpEndpoint.http("server", server.url()).trusted(true).build())
                .callTimeout(callTimeout)
                .idempotencyStore(IdempotencyStore.open(clientJournal))
                .serversDeduplicate(true)
                .build());
        return client;
    }

    private void stopClient() {
        if (client != null) {
            client.close();
            client = null;
        }
        if (clientJournal != null) {
            clientJournal.close();
            clientJournal = null;
        }
    }

    private static String text(McpSchema.CallToolResult r) {
        return ((McpSchema.TextContent) r.content().get(0)).text();
    }

    @Test
    void aDestructiveCallIsRecordedOnBothSidesUnderOneKey() {
        startClient(Duration.ofSeconds(20));
        McpSchema.CallToolResult r = client.callTool("transfer", Map.of("id", "a"));
        IdempotencyStore clientStore = IdempotencyStore.open(clientJournal);
        assertThat(clientStore.unresolved()).isEmpty();
        assertThat(client.unresolvedIntents()).isEmpty();
        // the client's only key is the one the server ran
        IdempotencyStore serverStore = IdempotencyStore.open(serverJournal);
        assertThat(serverStore.unresolved()).isEmpty();
        assertThat(tools.destroyCount).hasValue(1);
        assertThat(text(r)).startsWith("transfer a ");
        client.callTool("read", Map.of());
        assertThat(IdempotencyStore.open(clientJournal).unresolved()).isEmpty();
    }

    @Test
    void anUnknownOutcomeIsListed_neverReSentBlindly_andResolvedByAskingTheServer() {
        startClient(Duration.ofMillis(500));
        McpSchema.CallToolRequest request = new McpSchema.CallToolRequest("transfer", Map.of("id", "b", "block", true),
                Map.of(IdempotencyKeys.META_KEY, "key-b"));
        assertThatThrownBy(() -> client.callTool(request)).isInstanceOf(McpDeadlineExceededException.class);
        assertThat(client.unresolvedIntents()).extracting(IdempotencyStore.Entry::key).containsExactly("key-b");

        assertThatThrownBy(() -> client.callTool(request)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("idempotency key 'key-b' has an intent without a result");
        assertThat(tools.destroyCount).as("the repeat was not sent").hasValue(1);

        tools.release.countDown();
        stopClient();
        startClient(Duration.ofSeconds(20));
        assertThat(client.unresolvedIntents()).as("listed after a client restart").extracting(IdempotencyStore.Entry::key)
                .containsExactly("key-b");
        assertThatThrownBy(() -> client.resolve("key-b", McpSchema.CallToolRequest.builder("transfer")
                .arguments(Map.of("id", "c")).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("different request");

        McpSchema.CallToolResult resolved = client.resolve("key-b", request);
        assertThat(resolved.isError()).isFalse();
        assertThat(text(resolved)).startsWith("transfer b ");
        assertThat(IdempotencyKeys.stateOf(resolved)).isEqualTo(IdempotencyKeys.STATE_REPLAYED);
        assertThat(tools.destroyCount).as("resolving did not run it again").hasValue(1);
        assertThat(client.unresolvedIntents()).isEmpty();
        assertThat(text(client.resolve("key-b", request))).isEqualTo(text(resolved));
        assertThat(text(client.callTool(request))).as("a repeat gets the recorded result").isEqualTo(text(resolved));
        assertThat(tools.destroyCount).hasValue(1);
    }

    @Test
    void aClientKilledMidCallListsTheIntentAfterRestart_andResolvesIt() throws Exception {
        Path clientDir = dir.resolve("child-client");
        child = ChildProcess.java(IdempotentClientMain.class, server.url(), clientDir.toString(), "key-crash");
        child.awaitLine(l -> l.startsWith("CALLING"), Duration.ofSeconds(60));
        await().atMost(Duration.ofSeconds(60)).until(() -> tools.destroyCount.get() == 1);
        child.kill();
        clientJournal = Journal.open(JournalConfig.builder(clientDir).durability(Durability.SYNC).build());
        client = ResilientMcpClient.create(ResilientMcpClientConfig.builder()
                .endpoint(McpEndpoint.http("server", server.url()).trusted(true).build())
                .idempotencyStore(IdempotencyStore.open(clientJournal)).build());
        assertThat(client.unresolvedIntents()).extracting(IdempotencyStore.Entry::key).containsExactly("key-crash");

        tools.release.countDown();
        McpSchema.CallToolResult resolved = client.resolve("key-crash", IdempotentClientMain.request("key-crash"));
        assertThat(resolved.isError()).isFalse();
        assertThat(text(resolved)).startsWith("transfer key-crash ");
        assertThat(tools.destroyCount).as("resolving did not run it again").hasValue(1);
        assertThat(client.unresolvedIntents()).isEmpty();
    }

    @Test
    void serversDeduplicateNeedsAStore() {
        assertThatThrownBy(() -> ResilientMcpClientConfig.builder()
                .endpoint(McpEndpoint.http("server", server.url()).build()).serversDeduplicate(true).build())
                .hasMessage("serversDeduplicate needs an idempotencyStore, was true without one");
    }
}
