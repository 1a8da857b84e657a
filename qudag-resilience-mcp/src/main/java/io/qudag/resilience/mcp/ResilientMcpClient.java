package io.qudag.resilience.mcp;

import io.modelcontextprotocol.spec.McpSchema;
import io.qudag.resilience.core.ToolHints;
import io.qudag.resilience.mcp.internal.SyncResilientMcpClient;
import io.qudag.resilience.recovery.IdempotencyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The blocking resilient MCP client; see {@link ResilientMcpAsyncClient} for what
 * happens to each call. Errors are thrown unwrapped: {@link McpCallException} subclasses, the SDK's
 * {@code McpError}, or a {@code RejectedCallException}. Thread-safe.
 */
public interface ResilientMcpClient extends AutoCloseable {

    /**
     * Starts the client and waits up to the initialization timeout until an endpoint is ready.
     *
     * @throws io.qudag.resilience.failover.NoEndpointAvailableException naming the endpoints when none
     *                                                                    became ready in time
     */
    static ResilientMcpClient create(ResilientMcpClientConfig config) {
        return SyncResilientMcpClient.start(config);
    }

    McpSchema.CallToolResult callTool(String tool, Map<String, Object> arguments);

    McpSchema.CallToolResult callTool(McpSchema.CallToolRequest request);

    McpSchema.CallToolResult callTool(McpSchema.CallToolRequest request, Duration deadline);

    /** {@return the unresolved intents, as {@link ResilientMcpAsyncClient#unresolvedIntents()} describes} */
    List<IdempotencyStore.Entry> unresolvedIntents();

    /** {@return blocking {@link ResilientMcpAsyncClient#resolve(String, McpSchema.CallToolRequest)}} */
    McpSchema.CallToolResult resolve(String key, McpSchema.CallToolRequest request);

    ToolHints toolHints(String tool);

    ToolHints toolHints(String endpointId, String tool);

    List<EndpointHealth> health();

    EndpointHealth health(String endpointId);

    /** {@return the asynchronous client underneath} */
    ResilientMcpAsyncClient async();

    @Override
    void close();
}
