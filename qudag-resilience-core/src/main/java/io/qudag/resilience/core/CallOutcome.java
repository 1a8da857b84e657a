package io.qudag.resilience.core;

/**
 * How one call ended. This is the vocabulary that breakers, retries, health indicators and metrics
 * share (one name in code, metrics and docs).
 *
 * <p>By default only {@link #SERVER_ERROR}, {@link #TRANSPORT_ERROR} and {@link #TIMEOUT} count as
 * failures of the server; a {@link #TOOL_ERROR} (an MCP result with {@code isError=true}) and a
 * {@link #CLIENT_ERROR} (invalid params, unknown tool) are the caller's or the tool's business. See
 * {@link OutcomePolicy} to change that.
 */
public enum CallOutcome {
    /** The call returned a normal result. */
    SUCCESS,
    /** The tool ran and reported an error in its result (MCP {@code isError=true}). */
    TOOL_ERROR,
    /** The request was wrong: invalid params (JSON-RPC -32602), unknown tool, bad arguments. */
    CLIENT_ERROR,
    /** The server failed while handling the request (JSON-RPC -32603, a crashed handler). */
    SERVER_ERROR,
    /** The connection or child process failed: refused, reset, dead stream, session terminated. */
    TRANSPORT_ERROR,
    /** No answer before the call's deadline. */
    TIMEOUT,
    /**
     * This library refused to run the call (breaker open, bulkhead full, not admitted, pipeline closed)
     * or the call was given up on this side (cancelled, caller interrupted): no verdict on the dependency.
     */
    REJECTED
}
