package io.qudag.resilience.mcp;

import io.qudag.resilience.core.CallOutcome;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * A tool call did not answer within its own deadline (independent of the SDK request timeout). The
 * request was abandoned and, where the transport was alive, cancelled on the server with
 * {@code notifications/cancelled}. Classifies as {@link CallOutcome#TIMEOUT}; its cause is a
 * {@link TimeoutException}.
 */
public final class McpDeadlineExceededException extends McpCallException {

    private final Duration deadline;

    public McpDeadlineExceededException(String endpointId, String toolName, Duration deadline) {
        super(endpointId, CallOutcome.TIMEOUT, "tool '" + toolName + "' on endpoint '" + endpointId
                + "' did not answer within " + deadline, new TimeoutException("deadline " + deadline));
        this.deadline = deadline;
    }

    public Duration deadline() {
        return deadline;
    }
}
