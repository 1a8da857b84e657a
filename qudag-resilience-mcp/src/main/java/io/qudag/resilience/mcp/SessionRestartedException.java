package io.qudag.resilience.mcp;

/**
 * The server ended the MCP session (typically it restarted: the SDK answers with "MCP session with
 * server terminated" and re-initializes). Calls of tools that are safe to repeat are re-sent on the
 * new session without the caller noticing; for any other tool the caller gets this exception and the
 * call is not repeated, because nobody can tell whether it ran. Classifies as TRANSPORT_ERROR.
 */
public final class SessionRestartedException extends McpConnectionLostException {

    private final String toolName;

    public SessionRestartedException(String endpointId, String toolName, Throwable cause) {
        super(endpointId, "MCP session with endpoint '" + endpointId + "' was terminated (server restart?) "
                + "while calling tool '" + toolName + "'; the tool is not marked safe to repeat, so the call "
                + "was not re-sent", cause);
        this.toolName = toolName;
    }

    public String toolName() {
        return toolName;
    }
}
