package io.qudag.resilience.mcp.testing;

import io.modelcontextprotocol.spec.McpSchema;
import io.qudag.resilience.mcp.IdempotencyKeys;
import io.qudag.resilience.mcp.McpEndpoint;
import io.qudag.resilience.mcp.ResilientMcpClient;
import io.qudag.resilience.mcp.ResilientMcpClientConfig;
import io.qudag.resilience.recovery.Durability;
import io.qudag.resilience.recovery.IdempotencyStore;
import io.qudag.resilience.recovery.Journal;
import io.qudag.resilience.recovery.JournalConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A child-JVM client for crash tests: {@code <url> <journal-dir> <key> [tool]} calls the blocking
 * "transfer" tool (or {@code tool}) under {@code key} with an idempotency store over {@code journal-dir}, printing {@code CALLING}
 * first. Killed by the test while the call is in flight.
 */
public final class IdempotentClientMain {

    private IdempotentClientMain() {
    }

    /** The request the child sends for {@code key} (the test resolves with the same one). */
    public static McpSchema.CallToolRequest request(String key) {
        return request("transfer", key);
    }

    /** The request the child sends for {@code key} to {@code tool}. */
    public static McpSchema.CallToolRequest request(String tool, String key) {
        return new McpSchema.CallToolRequest(tool, Map.of("id", key, "block", true),
                Map.of(IdempotencyKeys.META_KEY, key));
    }

    public static void main(String[] args) {
        Journal journal = Journal.open(JournalConfig.builder(Path.of(args[1])).durability(Durability.SYNC).build());
        ResilientMcpClient client = ResilientMcpClient.create(ResilientMcpClientConfig.builder()
                .endpoint(McpEndpoint.http("server", args[0]).trusted(true).build())
                .callTimeout(Duration.ofMinutes(5))
                .idempotencyStore(IdempotencyStore.open(journal))
                .build());
        System.out.println("CALLING");
        System.out.flush();
        System.out.println("ANSWER " + client.callTool(request(args.length > 3 ? args[3] : "transfer", args[2])));
    }
}
