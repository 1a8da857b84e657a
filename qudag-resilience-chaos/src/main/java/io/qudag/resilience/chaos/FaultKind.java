package io.qudag.resilience.chaos;

/** The kinds of fault this module injects, named after the categories of spec §5.1. */
public enum FaultKind {
    /** Artificial delay ({@code high_latency}). */
    LATENCY,
    /** A thrown exception. */
    EXCEPTION,
    /** An MCP / JSON-RPC error answer with a code. */
    JSON_RPC_ERROR,
    /** A tool result with {@code isError=true}. */
    TOOL_ERROR_RESULT,
    /** A call that blocks, bounded, and then times out. */
    HANG,
    /** A JSON payload with a field dropped, a type changed or the text truncated ({@code payload_manipulation}). */
    PAYLOAD_CORRUPTION,
    /** A TCP-level fault through a loopback proxy ({@code network_partition}). */
    NETWORK,
    /** A stopped, killed or frozen server process ({@code server_failure}). */
    SERVER_FAILURE,
    /** Failing or corrupting file I/O ({@code disk_failure}). */
    DISK,
    /** Memory, thread or CPU pressure ({@code resource_exhaustion}). */
    RESOURCE_EXHAUSTION
}
