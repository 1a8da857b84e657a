package io.qudag.resilience.mcp;

/**
 * The server ended the MCP session (typically it restarted: the SDK answers with "MCP session with
 * server terminated" and re-initializes). Calls of tools that are safe to repeat are re-sent on the
 * new session without the caller noticing; for any other tool the caller gets this exception and the
 * call is not repeated, because nobody can tell whether it ran. Classifies as TRANSPORT_ERROR
 * (spec §1.3: transport failures).
 */
public final class SessionRestartedException extends McpConnectionLostException {

    /** The tool whose call was not re-sent. */
    private final String toolName;

    /**
     * Creates the failure of a call to a tool not safe to repeat whose session ended.
     *
     * @param endpointId the endpoint whose session ended
     * @param toolName the tool called, which is not re-sent
     * @param cause the SDK's "session terminated" failure
     */
    public SessionRestartedException(String endpointId, String toolName, Throwable cause) {
        super(endpointId, "MCP session with endpoint '" + endpointId + "' was terminated (server restart?) "
                + "while calling tool '" + toolName + "'; the tool is not marked safe to repeat, so the call "
                + "was not re-sent", cause);
        this.toolName = toolName;
    }

    /** {@return the tool whose call was not re-sent} */
    public String toolName() {
        return toolName;
    }
}
