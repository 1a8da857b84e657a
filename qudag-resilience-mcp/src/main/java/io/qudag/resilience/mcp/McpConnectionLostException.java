package io.qudag.resilience.mcp;

import io.qudag.resilience.core.CallOutcome;

/**
 * The connection to the server or its child process died while the call was in flight (a broken SSE
 * stream noticed by a failed ping, a refused connection, the stdio child's exit). The tool may or may
 * not have run: a call that is not safe to repeat is never re-sent after this. Classifies as
 * {@link CallOutcome#TRANSPORT_ERROR}.
 */
public class McpConnectionLostException extends McpCallException {

    public McpConnectionLostException(String endpointId, String message, Throwable cause) {
        super(endpointId, CallOutcome.TRANSPORT_ERROR, message, cause);
    }
}
