package io.qudag.resilience.mcp;

import io.qudag.resilience.core.CallOutcome;
import io.qudag.resilience.core.spi.OutcomeClassifier;
import io.qudag.resilience.mcp.internal.McpOutcomeClassifier;

/**
 * Outcome classification for MCP calls of both server styles (what the breakers of spec §1.3 and
 * §3.1 count: error classification is the heart of an
 * MCP breaker):
 *
 * <ul>
 *   <li>a {@code CallToolResult} with {@code isError=true} is TOOL_ERROR ({@code null} means false,
 *       as TypeScript servers send it), except the TypeScript text form {@code "MCP error -32602 ..."}
 *       of a protocol error, which classifies by its code;</li>
 *   <li>an {@code McpError} classifies by its JSON-RPC code: -32602/-32601/-32600/-32700/-32002 are
 *       CLIENT_ERROR, -32603 is SERVER_ERROR, {@value #CONNECTION_CLOSED} is TRANSPORT_ERROR,
 *       {@value #REQUEST_TIMEOUT} is TIMEOUT (the TypeScript SDK's codes for those two);</li>
 *   <li>"MCP session with server terminated", a lost connection, {@code ConnectException} and any
 *       other {@code IOException} are TRANSPORT_ERROR; a {@code TimeoutException} is TIMEOUT;</li>
 *   <li>a call cancelled by its caller (a lost hedge) is REJECTED: never retried, never a failure;</li>
 *   <li>everything else falls back to the core default classifier.</li>
 * </ul>
 */
public final class McpOutcomes {

    /** JSON-RPC code of a request failed because its connection closed (TypeScript SDK ConnectionClosed). */
    public static final int CONNECTION_CLOSED = -32000;
    /** JSON-RPC code of a request abandoned at its deadline (TypeScript SDK RequestTimeout). */
    public static final int REQUEST_TIMEOUT = -32001;

    private McpOutcomes() {
    }

    /** {@return the MCP classifier; stateless, allocation-free on results} */
    public static OutcomeClassifier classifier() {
        return McpOutcomeClassifier.INSTANCE;
    }

    /**
     * Classifies a JSON-RPC error code.
     *
     * @param code the {@code error.code} of a JSON-RPC response
     * @return the outcome it classifies as
     */
    public static CallOutcome classifyCode(int code) {
        return McpOutcomeClassifier.classifyCode(code);
    }

    /**
     * Tells whether a failure is the SDK's "session terminated" (a server restart), also when wrapped.
     *
     * @param error a failure, or {@code null}
     * @return whether it is the SDK's "session terminated" failure
     */
    public static boolean isSessionTerminated(Throwable error) {
        return McpOutcomeClassifier.isSessionTerminated(error);
    }
}
