package io.qudag.resilience.mcp.testing;

import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Warms a test server's code paths with bursts of concurrent calls and pings over a bare SDK session.
 * The child JVMs run C1 only; on a loaded machine a cold server's first burst answers slower than the
 * client's liveness floor, and the tests are about crashes and freezes, not about JIT warm-up.
 */
public final class ServerWarmup {

    private ServerWarmup() {
    }

    /** Three bursts of 64 {@code sleep 1 ms} calls and 64 pings to the streamable-HTTP server at {@code url}. */
    public static void warm(String url) {
        McpAsyncClient client = McpClient.async(HttpClientStreamableHttpTransport.builder(url.substring(0,
                url.length() - "/mcp".length())).endpoint("/mcp").build()).requestTimeout(Duration.ofSeconds(30))
                .build();
        try {
            client.initialize().block(Duration.ofSeconds(30));
            for (int round = 0; round < 3; round++) {
                List<CompletableFuture<?>> burst = new ArrayList<>();
                for (int i = 0; i < 64; i++) {
                    burst.add(client.callTool(McpSchema.CallToolRequest.builder("sleep")
                            .arguments(Map.of("ms", 1)).build()).toFuture());
                    burst.add(client.ping().toFuture());
                }
                CompletableFuture.allOf(burst.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new IllegalStateException("warming " + url + " failed", e);
        } finally {
            client.close();
        }
    }
}
