package io.qudag.resilience.mcp.server;

/**
 * How a decorated server tool answers a call its pipeline refused or timed out (the bulkheads and
 * breakers of spec §1.3 and §3.1 failing fast with a well-formed MCP answer).
 */
public enum RejectionMode {
    /** A {@code CallToolResult} with {@code isError=true} and a clear message (the model can read it). */
    TOOL_ERROR_RESULT,
    /** A JSON-RPC error (an {@code McpError} with the configured code and the reason in its data). */
    JSON_RPC_ERROR
}
