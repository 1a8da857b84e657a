package io.qudag.resilience.mcp;

import io.modelcontextprotocol.spec.McpSchema;
import io.qudag.resilience.core.ToolHints;
import io.qudag.resilience.mcp.internal.SyncResilientMcpClient;
import io.qudag.resilience.recovery.IdempotencyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The blocking resilient MCP client (spec §1.1–§1.3 failover, circuit breakers and bulkheads applied to
 * MCP calls, §2.1 per-endpoint health); see {@link ResilientMcpAsyncClient} for what happens to each call. Errors are thrown unwrapped: {@link McpCallException} subclasses, the SDK's
 * {@code McpError}, or a {@code RejectedCallException}. Thread-safe.
 */
public interface ResilientMcpClient extends AutoCloseable {

    /**
     * Starts the client and waits up to the initialization timeout until an endpoint is ready.
     *
     * @param config the client's settings
     * @return the started client
     * @throws io.qudag.resilience.failover.NoEndpointAvailableException naming the endpoints when none
     *                                                                    became ready in time
     */
    static ResilientMcpClient create(ResilientMcpClientConfig config) {
        return SyncResilientMcpClient.start(config);
    }

    /**
     * Calls {@code tool} with the configured call timeout; blocking
     * {@link ResilientMcpAsyncClient#callTool(String, Map)}.
     *
     * @param tool the tool's name as the servers list it
     * @param arguments the tool's arguments; may be empty
     * @return the tool's result (an error result included)
     */
    McpSchema.CallToolResult callTool(String tool, Map<String, Object> arguments);

    /**
     * Calls a tool (its {@code _meta}, e.g. a progress token, is passed on) with the configured call timeout.
     *
     * @param request the SDK request: tool name, arguments and {@code _meta}
     * @return the tool's result (an error result included)
     */
    McpSchema.CallToolResult callTool(McpSchema.CallToolRequest request);

    /**
     * Calls a tool with its own deadline instead of the configured call timeout.
     *
     * @param request the SDK request: tool name, arguments and {@code _meta}
     * @param deadline time the whole call may take, waits and retries included; positive
     * @return the tool's result (an error result included)
     */
    McpSchema.CallToolResult callTool(McpSchema.CallToolRequest request, Duration deadline);

    /** {@return the unresolved intents, as {@link ResilientMcpAsyncClient#unresolvedIntents()} describes} */
    List<IdempotencyStore.Entry> unresolvedIntents();

    /**
     * Blocking {@link ResilientMcpAsyncClient#resolve(String, McpSchema.CallToolRequest)}.
     *
     * @param key the idempotency key of the intent
     * @param request the request the intent was recorded for
     * @return the server's answer (or the recorded result)
     */
    McpSchema.CallToolResult resolve(String key, McpSchema.CallToolRequest request);

    /**
     * The hints used for {@code tool}, as {@link ResilientMcpAsyncClient#toolHints(String)} describes.
     *
     * @param tool the tool's name
     * @return the hints that decide whether its calls may be retried, failed over or hedged
     */
    ToolHints toolHints(String tool);

    /**
     * The hints used for {@code tool} on one endpoint.
     *
     * @param endpointId a configured endpoint's id
     * @param tool the tool's name
     * @return the hints ({@code UNTRUSTED} unless the endpoint is trusted)
     */
    ToolHints toolHints(String endpointId, String tool);

    /** {@return the health signal of every endpoint, in configured order} */
    List<EndpointHealth> health();

    /**
     * The health signal of one endpoint.
     *
     * @param endpointId a configured endpoint's id
     * @return its health signal
     */
    EndpointHealth health(String endpointId);

    /** {@return the asynchronous client underneath} */
    ResilientMcpAsyncClient async();

    /** Closes every connection (stdio children are stopped) and the client's own scheduler. */
    @Override
    void close();
}
