package io.qudag.resilience.chaos.mcp;

import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.qudag.resilience.core.ToolCall;
import java.util.function.Function;

/**
 * MCP-shaped faults (spec §5.1) made of the MCP Java SDK's own types, so that MCP outcome classifiers
 * and clients see exactly what a failing server would send: a JSON-RPC error ({@link McpError}) and a
 * tool result with {@code isError=true}. Needs {@code io.modelcontextprotocol.sdk:mcp-core} on the
 * classpath (an optional dependency of this module).
 */
public final class McpFaults {

    private McpFaults() {
    }

    /**
     * {@return a factory of {@link McpError}s with {@code code} and {@code message}}
     *
     * @param code    the JSON-RPC error code
     * @param message the error message
     */
    public static Function<ToolCall, Exception> jsonRpcError(int code, String message) {
        return call -> McpError.builder(code).message(message).build();
    }

    /**
     * {@return a factory of tool results with {@code isError=true} and {@code text}}
     *
     * @param text the result's text
     */
    public static Function<ToolCall, McpSchema.CallToolResult> toolError(String text) {
        return call -> McpSchema.CallToolResult.builder().addTextContent(text).isError(true).build();
    }
}
