package io.qudag.resilience.chaos.mcp;

import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import io.qudag.resilience.chaos.FaultInjector;
import io.qudag.resilience.chaos.InjectedFaultException;
import io.qudag.resilience.core.ToolCall;
import io.qudag.resilience.core.ToolHints;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Server-side chaos (spec §5.1): decorates an MCP server's tool so that injectors act on its calls —
 * a delay before the handler, a JSON-RPC error or an {@code isError} result instead of it, a damaged
 * result after it. The decorated tool keeps its name and annotations; while chaos is off the handler
 * runs unchanged.
 */
public final class McpToolChaos {

    private McpToolChaos() {
    }

    /**
     * {@return {@code spec} with {@code injectors} around its handler, the first outermost}
     *
     * @param spec      the tool specification
     * @param injectors the injectors, outermost first
     */
    @SafeVarargs
    public static SyncToolSpecification decorate(SyncToolSpecification spec,
            FaultInjector<McpSchema.CallToolResult>... injectors) {
        if (spec == null) {
            throw new IllegalArgumentException("spec must not be null, was null");
        }
        if (injectors == null || injectors.length == 0) {
            throw new IllegalArgumentException("injectors must not be empty, was none");
        }
        List<FaultInjector<McpSchema.CallToolResult>> list = List.of(injectors);
        BiFunction<McpSyncServerExchange, McpSchema.CallToolRequest, McpSchema.CallToolResult> handler =
                spec.callHandler();
        return new SyncToolSpecification(spec.tool(), (exchange, request) -> {
            ToolCall call = ToolCall.builder(request.name()).arguments(request.arguments())
                    .hints(ToolHints.UNTRUSTED).build();
            int ran = 0;
            McpSchema.CallToolResult result = null;
            try {
                while (ran < list.size() && result == null) {
                    result = list.get(ran++).beforeAttempt(call);
                }
                if (result == null) {
                    result = handler.apply(exchange, request);
                }
                while (ran > 0) {
                    result = list.get(--ran).afterAttempt(call, result);
                }
            } catch (RuntimeException e) {
                throw e; // McpError and injected failures reach the SDK as they are
            } catch (Exception e) {
                throw new InjectedFaultException(list.get(Math.max(0, ran - 1)).name(), e.getMessage(), e);
            }
            return result;
        });
    }
}
