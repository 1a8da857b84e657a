package io.qudag.resilience.mcp.internal;

import io.modelcontextprotocol.spec.McpSchema;
import io.qudag.resilience.core.ToolHints;
import io.qudag.resilience.failover.NoEndpointAvailableException;
import io.qudag.resilience.mcp.EndpointHealth;
import io.qudag.resilience.mcp.McpEndpoint;
import io.qudag.resilience.mcp.ResilientMcpAsyncClient;
import io.qudag.resilience.mcp.ResilientMcpClient;
import io.qudag.resilience.mcp.ResilientMcpClientConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Implementation of {@link ResilientMcpClient}: blocks on the asynchronous client. */
public final class SyncResilientMcpClient implements ResilientMcpClient {

    private final DefaultResilientMcpClient delegate;

    private SyncResilientMcpClient(DefaultResilientMcpClient delegate) {
        this.delegate = delegate;
    }

    public static SyncResilientMcpClient start(ResilientMcpClientConfig config) {
        DefaultResilientMcpClient client = DefaultResilientMcpClient.start(config);
        try {
            client.whenAnyReady().get(config.initializationTimeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            java.util.Map<String, Throwable> causes = client.lastConnectErrors();
            client.close();
            throw new NoEndpointAvailableException("create", "no endpoint of " + config.endpoints().stream()
                    .map(McpEndpoint::id).toList() + " became ready within " + config.initializationTimeout(), causes);
        } catch (InterruptedException e) {
            client.close();
            Thread.currentThread().interrupt();
            CancellationException given = new CancellationException("interrupted while the MCP client started");
            given.initCause(e);
            throw given;
        } catch (Exception e) {
            client.close();
            throw DefaultResilientMcpClient.rethrowable(e instanceof java.util.concurrent.ExecutionException
                    ? e.getCause() : e);
        }
        return new SyncResilientMcpClient(client);
    }

    private static McpSchema.CallToolResult join(CompletableFuture<McpSchema.CallToolResult> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            throw DefaultResilientMcpClient.rethrowable(e);
        }
    }

    @Override
    public McpSchema.CallToolResult callTool(String tool, Map<String, Object> arguments) {
        return join(delegate.callTool(tool, arguments));
    }

    @Override
    public McpSchema.CallToolResult callTool(McpSchema.CallToolRequest request) {
        return join(delegate.callTool(request));
    }

    @Override
    public McpSchema.CallToolResult callTool(McpSchema.CallToolRequest request, Duration deadline) {
        return join(delegate.callTool(request, deadline));
    }

    @Override
    public List<io.qudag.resilience.recovery.IdempotencyStore.Entry> unresolvedIntents() {
        return delegate.unresolvedIntents();
    }

    @Override
    public McpSchema.CallToolResult resolve(String key, McpSchema.CallToolRequest request) {
        return join(delegate.resolve(key, request));
    }

    @Override
    public ToolHints toolHints(String tool) {
        return delegate.toolHints(tool);
    }

    @Override
    public ToolHints toolHints(String endpointId, String tool) {
        return delegate.toolHints(endpointId, tool);
    }

    @Override
    public List<EndpointHealth> health() {
        return delegate.health();
    }

    @Override
    public EndpointHealth health(String endpointId) {
        return delegate.health(endpointId);
    }

    @Override
    public ResilientMcpAsyncClient async() {
        return delegate;
    }

    @Override
    public void close() {
        delegate.close();
    }
}
