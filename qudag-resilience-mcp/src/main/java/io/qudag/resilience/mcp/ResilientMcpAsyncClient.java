package io.qudag.resilience.mcp;

import io.modelcontextprotocol.spec.McpSchema;
import io.qudag.resilience.core.ToolHints;
import io.qudag.resilience.mcp.internal.DefaultResilientMcpClient;
import io.qudag.resilience.recovery.IdempotencyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The asynchronous resilient MCP client (spec §1.1–§1.3 failover, circuit breakers
 * and bulkheads applied to MCP calls, §2.1 per-endpoint health): every {@code callTool} runs through the
 * endpoint's {@code ResiliencePipeline} with its own deadline; in-flight calls fail fast when their
 * connection or child dies; "session terminated" is re-sent transparently for tools safe to repeat
 * and surfaces as {@link SessionRestartedException} otherwise; over an endpoint group, failed calls
 * that are safe to repeat fail over to the next endpoint and read-only calls may be hedged.
 *
 * <p>Futures complete with the {@code CallToolResult} (a TOOL_ERROR result is a normal result) or
 * with the unwrapped error: an {@link McpCallException}, the SDK's {@code McpError}, or a
 * {@code RejectedCallException}. Cancelling a future abandons the request and sends
 * {@code notifications/cancelled}. When no endpoint can take a call (all out, or the selector names
 * none) the future fails with a {@code NoEndpointAvailableException}; {@link #close()} fails the calls
 * still in flight with {@link McpConnectionLostException}. Thread-safe.
 */
public interface ResilientMcpAsyncClient extends AutoCloseable {

    /**
     * Starts the client: connects every endpoint (in the background) and starts liveness probes.
     *
     * @param config the client's settings
     * @return the started client; see {@link #whenReady()} and {@link #whenAnyReady()}
     */
    static ResilientMcpAsyncClient create(ResilientMcpClientConfig config) {
        return DefaultResilientMcpClient.start(config);
    }

    /**
     * Calls {@code tool} with the configured call timeout.
     *
     * @param tool the tool's name as the servers list it
     * @param arguments the tool's arguments; may be empty
     * @return completes with the tool's result (an error result included), or exceptionally when no
     *     endpoint could run the call within the deadline
     */
    CompletableFuture<McpSchema.CallToolResult> callTool(String tool, Map<String, Object> arguments);

    /**
     * Calls a tool (its {@code _meta}, e.g. a progress token, is passed on) with the configured call timeout.
     *
     * @param request the SDK request: tool name, arguments and {@code _meta}
     * @return completes with the tool's result, or exceptionally when no endpoint could run the call
     */
    CompletableFuture<McpSchema.CallToolResult> callTool(McpSchema.CallToolRequest request);

    /**
     * Calls a tool with its own deadline instead of the configured call timeout.
     *
     * @param request the SDK request: tool name, arguments and {@code _meta}
     * @param deadline time the whole call may take, waits and retries included; positive
     * @return completes with the tool's result, or exceptionally when no endpoint could run the call
     */
    CompletableFuture<McpSchema.CallToolResult> callTool(McpSchema.CallToolRequest request, Duration deadline);

    /**
     * Intents of at-most-once calls without a recorded outcome, oldest first (spec §4.2): calls cut
     * off by a server or client crash, or still running. Empty without an idempotency store.
     *
     * @return the unresolved intents, oldest first
     */
    List<IdempotencyStore.Entry> unresolvedIntents();

    /**
     * Asks the server about an unresolved intent: sends {@code request} (the same tool and arguments as
     * the intent, which the application keeps) again under {@code key}. A server that deduplicates
     * answers with the recorded result without running the tool again, runs it if it never saw the
     * key, or says its outcome is unknown; a known answer is recorded and resolves the intent. A key
     * already resolved completes with its recorded result without a call.
     *
     * @param key the idempotency key of the intent
     * @param request the request the intent was recorded for
     * @return completes with the server's answer (or the recorded result)
     * @throws IllegalArgumentException when {@code key} has no intent or was recorded for another request
     * @throws IllegalStateException    when the client has no idempotency store
     */
    CompletableFuture<McpSchema.CallToolResult> resolve(String key, McpSchema.CallToolRequest request);

    /**
     * The hints used for {@code tool}: those of the first endpoint, in configured order, whose tool list
     * named it (the primary's once it connected), else the primary's ({@code UNTRUSTED}).
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
     * @throws IllegalArgumentException when {@code endpointId} names no configured endpoint
     */
    ToolHints toolHints(String endpointId, String tool);

    /**
     * {@return a future that completes when every endpoint has been initialized once (or fails when one gave up)}
     */
    CompletableFuture<Void> whenReady();

    /**
     * {@return a future that completes when at least one endpoint has been initialized (a group can serve calls)}
     */
    CompletableFuture<Void> whenAnyReady();

    /** {@return the health signal of every endpoint, in configured order} */
    List<EndpointHealth> health();

    /**
     * The health signal of one endpoint.
     *
     * @param endpointId a configured endpoint's id
     * @return its health signal
     * @throws IllegalArgumentException when {@code endpointId} names no configured endpoint
     */
    EndpointHealth health(String endpointId);

    /** Closes every connection (stdio children are stopped) and the client's own scheduler. */
    @Override
    void close();
}
